/**
 * Redis goes away under a running wall and comes back: the TV in Chromium must say its
 * figures are stale rather than show frozen numbers as current, then come back to life by
 * itself with everything that was acknowledged before the outage.
 */
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../server/config.ts'
import { silentLogger } from '../../server/logger.ts'
import { startRedisServer, type RedisHandle } from '../../server/redis/launcher.ts'
import { startServer, type RunningServer } from '../../server/server.ts'
import { launchChromium } from '../helpers/chromium.ts'
import { post } from '../helpers/test-server.ts'

const offered = (page: Page) =>
  page.getAttribute('[data-testid="tile-Sales"] [data-field="offered"]', 'data-value')

describe('the wall while Redis is away', () => {
  let browser: Browser
  let redis: RedisHandle
  let server: RunningServer
  let dataDir: string

  beforeAll(async () => {
    browser = await launchChromium()
    dataDir = await mkdtemp(join(tmpdir(), 'callboard-wall-outage-'))
    redis = await startRedisServer({ dataDir, logger: silentLogger() })
    const config = loadConfig({
      PORT: '0',
      CALLBOARD_TZ: 'UTC',
      CALLBOARD_LOG_LEVEL: 'silent',
      CALLBOARD_AUTH: 'off',
      ...(process.env.CALLBOARD_WEB_DIR
        ? { CALLBOARD_WEB_DIR: process.env.CALLBOARD_WEB_DIR }
        : {}),
    })
    server = await startServer(config, redis.url, silentLogger())
  })
  afterAll(async () => {
    await browser?.close()
    await server?.close()
    await redis?.stop()
  })

  it('turns stale with a banner, then live again with nothing lost', async () => {
    const t = Math.floor(Date.now() / 1000) - 120
    const ingest = `${server.url}/api/v1/events/asterisk`
    // Two calls answered within 20 s: offered 2, before anything goes wrong.
    const before = [
      `${t}|a|Sales|NONE|ENTERQUEUE||1|1`,
      `${t + 4}|a|Sales|PJSIP/1001|CONNECT|4|x|1`,
      `${t + 10}|b|Sales|NONE|ENTERQUEUE||2|1`,
      `${t + 15}|b|Sales|PJSIP/1002|CONNECT|5|y|1`,
    ].join('\n')
    expect((await post(ingest, before)).status).toBe(200)

    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } })
    await page.goto(`${server.url}/?window=today`)
    await page.waitForSelector('[data-testid="connection"][data-state="live"]')
    await page.waitForSelector('[data-testid="tile-Sales"] [data-field="offered"][data-value="2"]')

    const port = Number(new URL(redis.url).port)
    await redis.stop()
    const refused = await post(ingest, `${t + 30}|c|Sales|NONE|ENTERQUEUE||3|1`)
    expect(refused.status).toBe(503)

    // The server falls silent rather than push figures it cannot keep current.
    const outageAt = Date.now()
    await page.waitForSelector('[data-stale="true"]', { timeout: 20_000 })
    const staleAfter = Date.now() - outageAt
    expect(await page.isVisible('[data-testid="stale-banner"]')).toBe(true)
    // Past the wall's next reconnect, whose first message (the incidents, from the server's
    // memory) must not pass for fresh figures.
    await page.waitForTimeout(4000)
    expect(await page.getAttribute('[data-stale]', 'data-stale')).toBe('true')
    // The old figures stay on the glass, greyed, under the banner; they are not zeroed.
    expect(await offered(page)).toBe('2')

    redis = await startRedisServer({ dataDir, port, logger: silentLogger() })
    await page.waitForSelector('[data-stale="false"]', { timeout: 20_000 })
    await page.waitForSelector('[data-testid="connection"][data-state="live"]')
    expect(await page.isVisible('[data-testid="stale-banner"]')).toBe(false)

    // A third call after the outage, answered in 25 s: offered 3, within T still 2.
    const after = [
      `${t + 40}|d|Sales|NONE|ENTERQUEUE||4|1`,
      `${t + 65}|d|Sales|PJSIP/1001|CONNECT|25|z|1`,
    ]
    let status = 0
    for (let attempt = 0; attempt < 50 && status !== 200; attempt++) {
      status = (await post(ingest, after.join('\n'))).status
      if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 100))
    }
    expect(status).toBe(200)
    await page.waitForSelector('[data-testid="tile-Sales"] [data-field="offered"][data-value="3"]')
    const sl = await page.getAttribute(
      '[data-testid="tile-Sales"] [data-field="serviceLevel"]',
      'data-value',
    )
    expect(Number(sl)).toBeCloseTo(2 / 3, 10)

    console.log(
      `wall outage: acknowledged before 4 events, refused during 1 (503), shown stale after ` +
        `${staleAfter} ms, offered after recovery ${await offered(page)} (expected 3)`,
    )
    await page.close()
  }, 90_000)
})

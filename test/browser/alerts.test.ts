import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Snapshot } from '../../shared/protocol.ts'
import { launchChromium } from '../helpers/chromium.ts'
import { post, startTestServer, type TestServer } from '../helpers/test-server.ts'

/** `count` calls on Sales entering `agoS` seconds ago, answered after `waitS`. */
function calls(tag: string, count: number, agoS: number, waitS: number): string {
  const entered = Math.floor(Date.now() / 1000) - agoS
  const lines: string[] = []
  for (let i = 0; i < count; i++) {
    const id = `${tag}-${i}`
    lines.push(`${entered}|${id}|Sales|NONE|ENTERQUEUE||1380000${i}|1`)
    lines.push(`${entered + waitS}|${id}|Sales|PJSIP/1001|CONNECT|${waitS}|b-${id}|1`)
  }
  return lines.join('\n')
}

const BANNER = '[data-testid="tile-Sales"] [data-testid="alert-banner"]'

describe('alerts on the wall in Chromium', () => {
  let browser: Browser
  let server: TestServer

  beforeAll(async () => {
    // The 80/20 rule as shipped, held for 1 s instead of 60 and judged from 5 calls.
    const file = join(mkdtempSync(join(tmpdir(), 'callboard-wall-')), 'alerts.json')
    writeFileSync(
      file,
      JSON.stringify({ defaults: { serviceLevel: { pendingSeconds: 1, minVolume: 5 } } }),
    )
    browser = await launchChromium()
    server = await startTestServer({ CALLBOARD_ALERTS_FILE: file })
  })
  afterAll(async () => {
    await browser?.close()
    await server?.cleanup()
  })

  it('shows a banner while service level is below 80 % and removes it on recovery', async () => {
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } })
    await page.goto(`${server.url}/?window=30m&sound=1`)
    await page.waitForSelector('[data-testid="connection"][data-state="live"]')

    await page.click('[data-testid="sound"]')
    await page.waitForSelector('[data-testid="sound"][data-enabled="true"]')

    // 10 calls answered in 5 s: 100 %, nothing to say.
    await post(`${server.url}/api/v1/events/asterisk`, calls('fast', 10, 600, 5))
    await page.waitForSelector('[data-testid="tile-Sales"] [data-field="offered"][data-value="10"]')
    expect(await page.$(BANNER)).toBeNull()

    // 6 more answered after 40 s: 10 of 16 within 20 s is 62.5 %.
    await post(`${server.url}/api/v1/events/asterisk`, calls('late', 6, 500, 40))
    await page.waitForSelector(BANNER, { timeout: 10_000 })
    expect(await page.getAttribute(BANNER, 'data-rule')).toBe('serviceLevel')
    expect(await page.getAttribute(BANNER, 'data-status')).toBe('firing')
    expect(await page.textContent(BANNER)).toContain('SL 62 % < 80 %')

    const api = (await (await fetch(`${server.url}/api/v1/snapshot?window=30m`)).json()) as Snapshot
    expect(api.queues.Sales?.serviceLevel).toBe(0.625)

    // 4 more late ones: 10 of 20 is 50 %. The banner follows the tile, not its opening 62 %.
    await post(`${server.url}/api/v1/events/asterisk`, calls('later', 4, 450, 40))
    await page.waitForSelector('[data-testid="tile-Sales"] [data-field="offered"][data-value="20"]')
    await page.waitForFunction(
      `document.querySelector('${BANNER}')?.textContent.includes('SL 50 % < 80 %')`,
    )

    // 40 more answered in 3 s: 50 of 60 is 83 %, past the clear level of 82 %.
    await post(`${server.url}/api/v1/events/asterisk`, calls('back', 40, 400, 3))
    await page.waitForSelector(BANNER, { state: 'detached', timeout: 10_000 })

    // The sparkline marks where the incident opened and closed.
    await page.waitForSelector(
      '[data-testid="tile-Sales"] [data-testid="spark-incident"][data-open="false"]',
    )
    await page.close()
  }, 60_000)
})

import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Figures } from '../../shared/figures.ts'
import type { Snapshot } from '../../shared/protocol.ts'
import { launchChromium } from '../helpers/chromium.ts'
import {
  deleteKeys,
  newPrefix,
  post,
  startTestServer,
  type TestServer,
} from '../helpers/test-server.ts'
import { freePort } from '../helpers/free-port.ts'

const FIELDS = [
  'serviceLevel',
  'waiting',
  'asa',
  'abandonRate',
  'aht',
  'offered',
  'answered',
] as const

/** A morning of two queues: Sales meets target, 报修热线 does not. */
function morning(): string {
  const t = Math.floor(Date.now() / 1000) - 300
  return [
    `${t}|a|Sales|NONE|ENTERQUEUE||1|1`,
    `${t + 5}|a|Sales|PJSIP/1001|CONNECT|5|x|1`,
    `${t + 65}|a|Sales|PJSIP/1001|COMPLETECALLER|5|60|1`,
    `${t + 10}|b|报修热线|NONE|ENTERQUEUE||2|1`,
    `${t + 50}|b|报修热线|Agent/1201|CONNECT|40|y|2`,
    `${t + 20}|c|报修热线|NONE|ENTERQUEUE||3|1`,
    `${t + 30}|c|报修热线|NONE|ABANDON|1|1|10`,
    `${t + 40}|d|报修热线|NONE|ENTERQUEUE||4|1`,
  ].join('\n')
}

async function shownValue(page: Page, tile: string, field: string): Promise<string | null> {
  return page.getAttribute(`[data-testid="tile-${tile}"] [data-field="${field}"]`, 'data-value')
}

function expected(figures: Figures, field: (typeof FIELDS)[number]): string {
  const value = figures[field]
  return value === null ? '' : String(value)
}

describe('the wall in Chromium', () => {
  let browser: Browser
  let server: TestServer
  let port: number
  const prefix = newPrefix()

  beforeAll(async () => {
    browser = await launchChromium()
    port = await freePort()
    server = await startTestServer({ PORT: String(port) }, prefix)
  })
  afterAll(async () => {
    await browser?.close()
    await server?.cleanup()
  })

  it('shows the same numbers as the API, recovers from a server restart by itself', async () => {
    await post(`${server.url}/api/v1/events/asterisk`, morning())
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } })
    await page.goto(`${server.url}/?window=today`)
    await page.waitForSelector('[data-testid="connection"][data-state="live"]')

    const api = (await (
      await fetch(`${server.url}/api/v1/snapshot?window=today`)
    ).json()) as Snapshot
    for (const [tile, figures] of [
      ['Sales', api.queues.Sales],
      ['报修热线', api.queues['报修热线']],
      ['total', api.total],
    ] as const) {
      for (const field of FIELDS) {
        expect
          .soft(await shownValue(page, tile, field), `${tile} ${field}`)
          .toBe(expected(figures as Figures, field))
      }
    }
    // Hand check of what the API said: Sales 1/1 met; 报修热线 b late, c abandoned, d waiting.
    expect(api.queues['报修热线']).toMatchObject({
      offered: 3,
      answeredWithinThreshold: 0,
      waiting: 1,
    })
    // A string: the page's DOM types are not the test's.
    const [scrollHeight, clientHeight] = (await page.evaluate(
      '[document.documentElement.scrollHeight, document.documentElement.clientHeight]',
    )) as [number, number]
    expect(scrollHeight).toBeLessThanOrEqual(clientHeight)

    await server.stop()
    await page.waitForSelector('[data-testid="connection"]:not([data-state="live"])')
    await page.waitForSelector('[data-stale="true"]', { timeout: 15_000 })

    server = await startTestServer({ PORT: String(port) }, prefix)
    await page.waitForSelector('[data-testid="connection"][data-state="live"]', { timeout: 20_000 })
    expect(await page.getAttribute('[data-stale]', 'data-stale')).toBe('false')

    const t = Math.floor(Date.now() / 1000) - 30
    await post(
      `${server.url}/api/v1/events/asterisk`,
      `${t}|e|Sales|NONE|ENTERQUEUE||5|1\n${t + 2}|e|Sales|PJSIP/1001|CONNECT|2|z|1`,
    )
    await page.waitForSelector('[data-testid="tile-Sales"] [data-field="offered"][data-value="2"]')
    await page.close()
    await deleteKeys(server.redis, prefix)
  }, 90_000)
})

import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium } from '../helpers/chromium.ts'
import { DAY_OF_SALES, NOW } from '../helpers/sales-morning.ts'
import { newPrefix, post, startTestServer, type TestServer } from '../helpers/test-server.ts'

// Issue 5 in Chromium: on /manage a queue's service level opens the calls behind it, and
// the staffing charts draw calls waiting and occupancy per interval. The morning and its
// figures are worked out by hand in helpers/sales-morning.ts: 2 of 7 within T for Sales.

describe('the calls behind a figure and the staffing charts in Chromium', () => {
  let browser: Browser
  let server: TestServer

  beforeAll(async () => {
    browser = await launchChromium()
    server = await startTestServer({}, newPrefix(), { now: () => NOW })
    const posted = await post(`${server.url}/api/v1/events/asterisk`, DAY_OF_SALES)
    expect(posted.body).toMatchObject({ accepted: 20 })
  })

  afterAll(async () => {
    await browser?.close()
    await server?.cleanup()
  })

  it("opens a queue's calls from its service level, the wall's 2 / 7 as totals", async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } })
    await page.goto(`${server.url}/manage?lang=en`)
    const ratio = page.locator('[data-testid="queue-row-Sales"] [data-testid="sl-ratio"]')
    await ratio.waitFor()
    await expect.poll(() => ratio.textContent()).toContain('2 / 7')

    await ratio.click()
    const totals = page.locator('[data-testid="calls-totals"]')
    await totals.waitFor()

    expect(await totals.getAttribute('data-met')).toBe('2')
    expect(await totals.getAttribute('data-offered')).toBe('7')
    expect(await page.locator('[data-testid="calls-wall"]').textContent()).toContain(
      'equal to the wall',
    )
    const rows = page.locator('[data-testid="call-row"]')
    expect(await rows.count()).toBe(8)
    expect(await page.locator('[data-testid="call-row"][data-sl="met"]').count()).toBe(2)
    expect(await page.locator('[data-testid="call-row"][data-sl="missed"]').count()).toBe(5)
    expect(await page.locator('[data-testid="call-row"][data-sl="pending"]').count()).toBe(1)
    expect(await rows.first().textContent()).toContain('still waiting')

    await page.locator('[data-testid="calls-close"]').click()
    expect(await page.locator('[data-testid="calls-panel"]').count()).toBe(0)
    await page.close()
  })

  it('draws calls waiting and occupancy per interval, in Chinese too', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } })
    await page.goto(`${server.url}/manage?lang=zh`)
    await page.locator('[data-testid="waiting-chart"]').waitFor()

    // Peak 3 at 09:00, 2 at 09:30 and in the 10:00 interval just begun (by hand).
    const peak = (start: string) =>
      page.locator(`[data-testid="waiting-peak"][data-start="${start}"]`).getAttribute('data-value')
    expect(await peak('09:00')).toBe('3')
    expect(await peak('09:30')).toBe('2')
    const end = page.locator('[data-testid="waiting-end"][data-start="09:00"]')
    expect(await end.getAttribute('data-value')).toBe('1')

    // Occupancy 25 % at 09:00 and a third at 09:30, of Sales's two agents.
    const occupancy = page.locator('[data-testid="occupancy-bar"][data-start="09:00"]')
    expect(Number(await occupancy.getAttribute('data-value'))).toBe(0.25)
    const chart = page.locator('[data-testid="occupancy-chart"]')
    expect(await chart.getAttribute('aria-label')).toBe('各时段座席占用率(2 名座席)')
    expect(
      await page.locator('[data-testid="staffing-charts"] figcaption').allTextContents(),
    ).toEqual([expect.stringContaining('最高排队数'), expect.stringContaining('座席占用率')])
    const height = Number(await occupancy.getAttribute('height'))
    expect(height).toBeGreaterThan(0)

    // A third call waits from 10:00:00: the running interval's bar grows in place, the same
    // element (no redraw), within the page's 5 s follow-up of new figures.
    const running = page.locator('[data-testid="waiting-peak"][data-start="10:00"]')
    const before = await running.elementHandle()
    const enter = `${NOW / 1000}|c9|Sales|NONE|ENTERQUEUE||109|1`
    expect((await post(`${server.url}/api/v1/events/asterisk`, enter)).status).toBe(200)
    await expect.poll(() => running.getAttribute('data-value'), { timeout: 8000 }).toBe('3')
    expect(await before?.evaluate((bar) => bar.isConnected)).toBe(true)
    await page.close()
  })
})

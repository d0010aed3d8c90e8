import { parse } from 'csv-parse/sync'
import { readFile } from 'node:fs/promises'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium } from '../helpers/chromium.ts'
import { post, startTestServer, type TestServer } from '../helpers/test-server.ts'
import { clockAt } from '../helpers/set-clock.ts'

// Issue 5: a manager picks a past day on the managers' page and sees that day's table and
// charts from the history, with the same weekday a week before dashed beside it, and
// downloads the day's CSV. The server's clock is moved day by day; the site is on UTC.

/** `count` calls into `queue` entering at `iso`, answered after `waitS` seconds. */
function calls(tag: string, queue: string, iso: string, count: number, waitS: number) {
  const t = Date.parse(iso) / 1000
  return Array.from({ length: count }, (_, i) =>
    [
      `${t + i}|${tag}-${i}|${queue}|NONE|ENTERQUEUE||1|1`,
      `${t + i + waitS}|${tag}-${i}|${queue}|PJSIP/1001|CONNECT|${waitS}|${tag}-${i}.b|1`,
    ].join('\n'),
  ).join('\n')
}

/** Polls `check` until it holds; expect.poll is for tests only, this runs in beforeAll. */
async function until(check: () => Promise<boolean> | boolean, what: string) {
  for (let waited = 0; waited < 8000; waited += 100) {
    if (await check()) return
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error(`not in 8 s: ${what}`)
}

async function send(server: TestServer, body: string) {
  const answer = await post(`${server.url}/api/v1/events/asterisk`, body)
  expect(answer.status).toBe(200)
  await until(() => server.live.streamId === answer.body.lastId, 'events applied')
}

/** Waits until the history holds `day` (UTC), written by the server's next flush. */
async function inHistory(server: TestServer, day: string) {
  await until(async () => (await server.redis.exists(server.keys.history(day))) === 1, day)
}

async function openManage(browser: Browser, server: TestServer, lang = 'en'): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1366, height: 768 } })
  await page.goto(`${server.url}/manage?lang=${lang}`)
  await page.waitForSelector('[data-testid="connection"][data-state="live"]')
  return page
}

const cell = (page: Page, row: string, field: string) =>
  page
    .locator(`[data-testid="queues-panel"] [data-testid="${row}"] [data-field="${field}"]`)
    .getAttribute('data-value')

describe('a past day on the managers’ page in Chromium', () => {
  let browser: Browser
  let server: TestServer

  beforeAll(async () => {
    browser = await launchChromium()
    const clock = clockAt('2026-11-16T12:00:00Z')
    server = await startTestServer({}, undefined, { now: clock.now })

    // Monday 16 November: 3 Sales calls at 10:00 answered in 5 s, 100 %.
    await send(server, calls('w1', 'Sales', '2026-11-16T10:05:00Z', 3, 5))
    await inHistory(server, '2026-11-16')

    // Monday 23 November: Sales 2 calls answered in 5 s and 2 in 30 s at 10:00 (2 of 4);
    // Support 1 call in 10 s at 11:00. The day: 3 of 5 within 20 s = 60 %; ASA
    // (5 + 5 + 30 + 30 + 10) / 5 = 16 s.
    clock.set('2026-11-23T12:00:00Z')
    await send(server, calls('fast', 'Sales', '2026-11-23T10:05:00Z', 2, 5))
    await send(server, calls('slow', 'Sales', '2026-11-23T10:07:00Z', 2, 30))
    await send(server, calls('sup', 'Support', '2026-11-23T11:10:00Z', 1, 10))
    await inHistory(server, '2026-11-23')
    // Wait for the 11:00 quarter to be written too, then move on a day.
    const day = server.keys.history('2026-11-23')
    const support = `${Date.parse('2026-11-23T11:00:00Z')}:Support`
    await until(async () => (await server.redis.hexists(day, support)) === 1, 'Support written')
    clock.set('2026-11-24T09:00:00Z')
  }, 60_000)

  afterAll(async () => {
    await browser?.close()
    await server?.cleanup()
  })

  it('shows the day’s table and charts, last week dashed, and downloads its CSV', async () => {
    const page = await openManage(browser, server)
    const picker = page.locator('[data-testid="day-picker"]')
    expect(await picker.getAttribute('max')).toBe('2026-11-24')
    await picker.fill('2026-11-23')
    await picker.dispatchEvent('change')

    await page.waitForSelector('[data-testid="queues-panel"][data-day="2026-11-23"] table')
    expect(await page.locator('[data-testid="queues-panel"] h2').textContent()).toBe(
      'Queues on 2026-11-23',
    )
    expect(await cell(page, 'queue-row-Sales', 'offered')).toBe('4')
    expect(await cell(page, 'queue-row-Sales', 'serviceLevel')).toBe('0.5')
    expect(await cell(page, 'queue-row-Support', 'serviceLevel')).toBe('1')
    expect(await cell(page, 'queue-row-total', 'offered')).toBe('5')
    expect(await cell(page, 'queue-row-total', 'serviceLevel')).toBe('0.6')
    expect(await cell(page, 'queue-row-total', 'asa')).toBe('16')
    // The past day's caption, as today's: V2, the two answered in 5 s of Sales's 4.
    const ratio = page.locator('[data-testid="queue-row-Sales"] [data-testid="sl-ratio"] span')
    expect(await ratio.allTextContents()).toEqual(['2 answered within 20 s', 'of 4 offered'])
    // A past day has no calls list to open: its caption is text, not a button.
    const sales = page.locator('[data-testid="queue-row-Sales"]')
    expect(await sales.locator('button[data-testid="sl-ratio"]').count()).toBe(0)

    const charts = page.locator('[data-testid="charts"]')
    // One point of last week's line has no length: attached, not "visible".
    await charts.locator('[data-testid="last-week-sl"]').waitFor({ state: 'attached' })
    expect(await charts.locator('h2').textContent()).toContain('2026-11-23 by interval')
    expect(await charts.locator('[data-testid="last-week-key"]').textContent()).toContain(
      'Service level a week before (2026-11-16)',
    )
    const lastWeek = charts.locator('[data-testid="last-week-point"]')
    expect(await lastWeek.count()).toBe(1)
    expect(await lastWeek.getAttribute('data-start')).toBe('10:00')
    expect(await lastWeek.getAttribute('data-value')).toBe('1')
    // A string, as in the wall's tests: the page's DOM types are not the test's.
    const dash = (await page.evaluate(
      `getComputedStyle(document.querySelector('[data-testid="last-week-sl"]')).strokeDasharray`,
    )) as string
    expect(dash).not.toBe('none')
    const slPoint = charts.locator('[data-testid="sl-point"][data-start="10:00"]')
    expect(await slPoint.getAttribute('data-value')).toBe('0.5')

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('[data-testid="export"]').click(),
    ])
    expect(download.suggestedFilename()).toBe('callboard-2026-11-23.csv')
    const text = await readFile((await download.path()) ?? '', 'utf8')
    const rows = parse(text, { columns: true, bom: true }) as Record<string, string>[]
    console.log(
      `past day in Chromium: ${rows.length} CSV rows for 2026-11-23, last week's SL ` +
        `point at 10:00, dash ${dash}`,
    )
    // 48 half-hours × (Sales, Support, all) + the day's 3 rows.
    expect(rows).toHaveLength(147)
    expect(rows.find((r) => r.interval === '10:00' && r.queue === 'Sales')).toMatchObject({
      offered: '4',
      answered_within_t: '2',
      service_level_pct: '50',
      // And why 50: V2 with T = 20 s and S off, 2 within T ÷ 4 offered, nothing short.
      formula: 'V2',
      threshold_s: '20',
      short_abandon_s: '0',
      abandoned_short: '0',
      sl_numerator: '2',
      sl_denominator: '4',
    })
    expect(rows.at(-1)).toMatchObject({
      date: '2026-11-23',
      interval: 'day',
      queue: 'All queues',
      offered: '5',
      service_level_pct: '60',
      asa_s: '16',
      formula: 'V2',
      sl_numerator: '3',
      sl_denominator: '5',
    })

    await page.locator('[data-testid="back-to-today"]').click()
    await page.waitForSelector('[data-testid="queues-panel"][data-day="today"]')
    await page.close()
  }, 30_000)

  it('says so in Chinese when the history holds nothing for the day', async () => {
    const page = await openManage(browser, server, 'zh')
    const picker = page.locator('[data-testid="day-picker"]')
    await picker.fill('2026-11-20')
    await picker.dispatchEvent('change')

    await page.locator('[data-testid="day-error"]').waitFor()
    expect(await page.locator('[data-testid="queues-panel"] h2').textContent()).toBe(
      '2026-11-20 队列',
    )
    expect(await page.locator('[data-testid="day-error"]').textContent()).toContain('2026-11-20')
    expect(await page.locator('.day label').textContent()).toContain('日期')
    await page.close()
  })
})

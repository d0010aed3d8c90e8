import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Incident } from '../../shared/alerts.ts'
import { launchChromium } from '../helpers/chromium.ts'
import { post, startTestServer, type TestServer } from '../helpers/test-server.ts'

/** `count` calls entering `agoS` seconds ago, answered by `member` after `waitS`. */
function calls(
  queue: string,
  tag: string,
  count: number,
  agoS: number,
  waitS: number,
  member: string,
) {
  const entered = Math.floor(Date.now() / 1000) - agoS
  const lines: string[] = []
  for (let i = 0; i < count; i++) {
    const id = `${tag}-${i}`
    lines.push(`${entered}|${id}|${queue}|NONE|ENTERQUEUE||1380000${i}|1`)
    lines.push(`${entered + waitS}|${id}|${queue}|${member}|CONNECT|${waitS}|b-${id}|1`)
  }
  return lines.join('\n')
}

async function put(url: string, body: unknown) {
  const response = await fetch(url, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  expect(response.status).toBe(200)
}

async function openPage(browser: Browser, url: string, width = 1366, height = 768) {
  const page = await browser.newPage({ viewport: { width, height } })
  await page.goto(url)
  await page.waitForSelector('[data-testid="connection"][data-state="live"]')
  return page
}

const headers = (page: Page) =>
  page.locator('[data-testid="queue-table"] thead th').allTextContents()

describe('the managers’ page in Chromium', () => {
  let browser: Browser
  let server: TestServer

  beforeAll(async () => {
    // The 80/20 rule as shipped, held for 1 s instead of 60 and judged from 5 calls.
    const file = join(mkdtempSync(join(tmpdir(), 'callboard-manage-')), 'alerts.json')
    writeFileSync(
      file,
      JSON.stringify({ defaults: { serviceLevel: { pendingSeconds: 1, minVolume: 5 } } }),
    )
    browser = await launchChromium()
    server = await startTestServer({ CALLBOARD_ALERTS_FILE: file })

    await put(`${server.url}/api/v1/teams`, [
      { id: 'north', name: 'North', leader: '王芳' },
      { id: 'south', name: 'South' },
    ])
    await put(`${server.url}/api/v1/roster`, [
      { id: '1001', name: '王芳', team: 'north' },
      { id: '1002', name: 'Li Wei', team: 'south' },
    ])
    // Sales: 10 answered in 5 s by 1001 and 6 after 40 s by 1002, 10 of 16 = 62.5 %, below
    // 80 %: an incident. Support: 4 answered in 3 s by 1002, 100 %.
    const url = `${server.url}/api/v1/events/asterisk`
    await post(url, calls('Sales', 'fast', 10, 600, 5, 'PJSIP/1001'))
    await post(url, calls('Sales', 'late', 6, 500, 40, 'PJSIP/1002'))
    await post(url, calls('Support', 'sup', 4, 400, 3, 'PJSIP/1002'))
  })
  afterAll(async () => {
    await browser?.close()
    await server?.cleanup()
  })

  it('lists every queue with the live figures, sorted by a header click', async () => {
    const page = await openPage(browser, `${server.url}/manage?lang=en`)
    const sl = '[data-testid="queue-row-Sales"] [data-field="serviceLevel"]'
    await page.waitForSelector(`${sl}[data-value="0.625"]`)
    expect(await page.textContent(sl)).toContain('62%')
    expect(await page.getAttribute(sl, 'data-grade')).toBe('missed')
    // The figure says how it was computed, under the default V2: 10 answered within 20 s
    // (the fast ones) of 16 offered, the numerator's words and the denominator's each.
    expect(await page.locator(`${sl} [data-testid="sl-ratio"] span`).allTextContents()).toEqual([
      '10 answered within 20 s',
      'of 16 offered',
    ])

    // Worst service level first by default; offered, a click, highest first.
    const order = () =>
      page
        .locator('tbody [data-testid^="queue-row-"]')
        .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-testid')))
    expect(await order()).toEqual(['queue-row-Sales', 'queue-row-Support'])
    await page.click('[data-testid="sort-serviceLevel"]')
    expect(await order()).toEqual(['queue-row-Support', 'queue-row-Sales'])
    expect(await page.getAttribute('th:has([data-testid="sort-serviceLevel"])', 'aria-sort')).toBe(
      'descending',
    )
    // The total row: 14 of 20 within 20 s, 70 % against 80 %: 10 points below, past the
    // 5 of a near miss, so well below, with the mark and, for a screen reader, the words.
    const total = '[data-testid="queue-row-total"] [data-field="offered"]'
    expect(await page.getAttribute(total, 'data-value')).toBe('20')
    const totalSl = '[data-testid="queue-row-total"] [data-field="serviceLevel"]'
    expect(await page.getAttribute(totalSl, 'data-value')).toBe('0.7')
    expect(await page.getAttribute(totalSl, 'data-grade')).toBe('missed')
    expect(await page.textContent(`${totalSl} .sr`)).toBe('well below target')
    expect(await page.textContent(`${sl} .sr`)).toBe('well below target')
    await page.close()
  })

  it('drills from a queue to its teams and agents, by keyboard too', async () => {
    const page = await openPage(browser, `${server.url}/manage?lang=en`)
    await page.waitForSelector('[data-testid="drill-Support"]')

    await page.focus('[data-testid="drill-Support"]')
    await page.keyboard.press('Enter')
    await page.waitForSelector('[data-testid="queue-agents"][data-queue="Support"]')
    await page.waitForSelector('[data-testid="agent-1002"]')
    // Only 1002 answered Support: 1001 is not one of its agents.
    expect(await page.$('[data-testid="agent-1001"]')).toBeNull()
    expect(await page.textContent('[data-testid="team-south"]')).toContain('South')

    await page.click('[data-testid="drill-Sales"]')
    await page.waitForSelector('[data-testid="queue-agents"][data-queue="Sales"]')
    await page.waitForSelector('[data-testid="agent-1001"]')
    expect(await page.textContent('[data-testid="agent-1001"]')).toContain('王芳')
    expect(await page.textContent('[data-testid="team-north"]')).toContain('North')
    await page.screenshot({ path: 'test-results/manage-1366.png', fullPage: false })
    await page.close()
  })

  it('acknowledges an incident from the page', async () => {
    const page = await openPage(browser, `${server.url}/manage?lang=en`)
    const row = '[data-testid^="incident-"][data-status]'
    await page.waitForSelector(`${row}[data-status="firing"]`, { timeout: 10_000 })

    // Without a name the history could not say who: the page asks first.
    await page.click(`${row} [data-testid="acknowledge"]`)
    await page.waitForSelector('[data-testid="incident-problem"]')

    await page.fill('[data-testid="by"]', '李伟')
    await page.click(`${row} [data-testid="acknowledge"]`)
    await page.waitForSelector(`${row}[data-status="acknowledged"]`)
    expect(await page.textContent(row)).toContain('李伟')

    const api = await fetch(`${server.url}/api/v1/incidents?state=open`)
    const { incidents } = (await api.json()) as { incidents: Incident[] }
    expect(incidents.find((i) => i.subject === 'Sales')?.acknowledgedBy).toBe('李伟')
    await page.close()
  })

  it('speaks Simplified Chinese with ?lang=zh and English with ?lang=en', async () => {
    const zh = await openPage(browser, `${server.url}/manage?lang=zh`, 1920, 1080)
    await zh.waitForSelector('[data-testid="queue-row-Sales"]')
    const zhHeaders = await headers(zh)
    for (const term of ['服务水平', '接通率', '放弃率', '排队数', '最长等待', '平均处理时长']) {
      expect(zhHeaders.join(' ')).toContain(term)
    }
    expect(await zh.textContent('[data-testid="incidents"] h2')).toBe('未关闭的告警')
    await zh.click('[data-testid="drill-Sales"]')
    await zh.waitForSelector('[data-testid="agent-1001"]')
    expect(await zh.textContent('[data-testid="team-table"]')).toContain('座席占用率')
    await zh.screenshot({ path: 'test-results/manage-1080p-zh.png' })
    await zh.close()

    const en = await openPage(browser, `${server.url}/manage?lang=en`, 1920, 1080)
    await en.waitForSelector('[data-testid="queue-row-Sales"]')
    expect((await headers(en)).join(' ')).toContain('Service level')
    await en.close()
  })

  it("keeps each user's own pick of language for the pages they open next", async () => {
    const mine = await browser.newContext({
      viewport: { width: 1366, height: 768 },
      locale: 'en-GB',
    })
    const page = await mine.newPage()
    await page.goto(`${server.url}/manage`)
    await page.waitForSelector('[data-testid="queue-row-Sales"]')
    expect(await page.textContent('h1')).not.toMatch(/[\u4e00-\u9fff]/)

    await Promise.all([page.waitForURL(/lang=zh/), page.click('nav a[lang="zh-CN"]')])
    const later = await mine.newPage()
    await later.goto(`${server.url}/manage`)
    await later.waitForSelector('[data-testid="queue-row-Sales"]')
    expect(await later.getAttribute('[data-testid="manage"]', 'lang')).toBe('zh-CN')
    await mine.close()

    // Someone else on another browser, with an English browser, is not moved by that pick.
    const theirs = await browser.newContext({ locale: 'en-GB' })
    const other = await theirs.newPage()
    await other.goto(`${server.url}/manage`)
    await other.waitForSelector('[data-testid="queue-row-Sales"]')
    expect(await other.getAttribute('[data-testid="manage"]', 'lang')).toBe('en')
    await theirs.close()
  })

  it('puts the wall and agent board in Chinese with ?lang=zh, English with ?lang=en', async () => {
    const wall = await openPage(browser, `${server.url}/?lang=zh`, 1920, 1080)
    await wall.waitForSelector('[data-testid="tile-Sales"]')
    const tile = (await wall.textContent('[data-testid="tile-Sales"]')) ?? ''
    for (const term of ['服务水平', '排队数', '最长等待', '平均处理时长'])
      expect(tile).toContain(term)
    expect(await wall.getAttribute('html', 'lang')).toBe('zh-CN')
    await wall.close()

    const board = await openPage(browser, `${server.url}/agents?lang=zh`, 1920, 1080)
    await board.waitForSelector('[data-testid="agent-board"]')
    await expect.poll(() => board.textContent('[data-testid="agent-board"]')).toContain('通话')
    await board.close()

    const english = await openPage(browser, `${server.url}/?lang=en`, 1920, 1080)
    await english.waitForSelector('[data-testid="tile-Sales"]')
    expect(await english.textContent('[data-testid="tile-Sales"]')).toContain('Service level')
    await english.close()
  })

  it('charts today per interval against the target, and follows new calls', async () => {
    const page = await openPage(browser, `${server.url}/manage?lang=en`, 1920, 1080)
    await page.waitForSelector('[data-testid="sl-chart"] [data-testid="target-line"]', {
      state: 'attached',
    })
    const offered = () =>
      page
        .locator('[data-testid="bar-offered"]')
        .evaluateAll((bars) => bars.reduce((sum, bar) => sum + Number(bar.dataset.value), 0))

    // 16 Sales and 4 Support calls so far, in whichever intervals the last minutes span.
    await expect.poll(offered).toBe(20)
    expect(await page.locator('[data-testid="sl-point"]').count()).toBeGreaterThan(0)

    await post(
      `${server.url}/api/v1/events/asterisk`,
      calls('Support', 'new', 2, 60, 2, 'PJSIP/1002'),
    )
    await expect.poll(offered, { timeout: 15_000 }).toBe(22)
    await page.screenshot({ path: 'test-results/manage-1080p.png', fullPage: true })
    await page.close()
  })
})

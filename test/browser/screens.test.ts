/**
 * Screens in Chromium (issue 5): a TV opened at /?screen=… follows its layout as a manager
 * changes it, without reloading: queues, figures, theme, rotation and the page indicator.
 */
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium } from '../helpers/chromium.ts'
import { post, startTestServer, type TestServer } from '../helpers/test-server.ts'

/** One call entering `queue` 60 s ago and answered after 5 s. */
function answered(queue: string, id: string): string {
  const entered = Math.floor(Date.now() / 1000) - 60
  return [
    `${entered}|${id}|${queue}|NONE|ENTERQUEUE||13800000000|1`,
    `${entered + 5}|${id}|${queue}|PJSIP/1001|CONNECT|5|b-${id}|1`,
  ].join('\n')
}

async function putScreen(server: TestServer, name: string, layout: object): Promise<void> {
  const response = await fetch(`${server.url}/api/v1/screens/${name}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(layout),
  })
  expect(response.status).toBe(200)
}

// Run in the page, as strings: its DOM types are not the test's. A page waiting for its
// first figures says so in `.waiting` (queue tiles) or `.message` (agent board).
const WATCH_FOR_WAITING = `
  window.sawWaiting = false
  new MutationObserver(() => {
    const shown = document.querySelector('.page:not([hidden]) :is(.waiting, .message)')
    if (shown) window.sawWaiting = true
  }).observe(document.body, { childList: true, subtree: true, attributes: true })
`

const tiles = (page: Page) =>
  page
    .locator('.page:not([hidden]) article[data-testid^="tile-"]')
    .evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-testid')))

describe('a named screen in Chromium', () => {
  let browser: Browser
  let server: TestServer

  beforeAll(async () => {
    browser = await launchChromium()
    server = await startTestServer()
    const lines = [answered('Sales', 's1'), answered('Support', 'p1'), answered('报修热线', 'r1')]
    expect((await post(`${server.url}/api/v1/events/asterisk`, lines.join('\n'))).status).toBe(200)
  })
  afterAll(async () => {
    await browser?.close()
    await server?.cleanup()
  })

  it('switches queues, figures and theme as the layout changes, without a reload', async () => {
    await putScreen(server, 'floor-2-tv', {
      pages: [{ kind: 'queues', queues: ['Sales'], total: false }],
      theme: 'dark',
      language: 'en',
    })
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } })
    await page.goto(`${server.url}/?screen=floor-2-tv&lang=en`)
    await page.waitForSelector('[data-testid="tile-Sales"]')
    // A mark on the window: a reload would start a new one without it.
    await page.evaluate('window.loadedOnce = true')

    expect(await tiles(page)).toEqual(['tile-Sales'])
    expect(await page.getAttribute('html', 'data-theme')).toBe('dark')
    expect(await page.locator('[data-testid="page-indicator"]').count()).toBe(0)
    // The default figures: the answer rate is not among them.
    expect(await page.locator('[data-testid="tile-Sales"] [data-field="aht"]').count()).toBe(1)
    expect(await page.locator('[data-field="answerRate"]').count()).toBe(0)

    await putScreen(server, 'floor-2-tv', {
      pages: [{ kind: 'queues', queues: ['报修热线', 'Support'], figures: ['answerRate'] }],
      theme: 'light',
      language: 'en',
    })
    await page.waitForSelector('[data-testid="tile-报修热线"]', { timeout: 3000 })
    expect(await tiles(page)).toEqual(['tile-total', 'tile-报修热线', 'tile-Support'])
    expect(await page.getAttribute('html', 'data-theme')).toBe('light')
    // One call, answered: answer rate 1 of 1 offered, 100 %; nothing else on the tile.
    const rate = page.locator('[data-testid="tile-报修热线"] [data-field="answerRate"]')
    expect(await rate.getAttribute('data-value')).toBe('1')
    expect(await page.locator('[data-testid="tile-报修热线"] [data-field="aht"]').count()).toBe(0)
    // The light theme's background is light: rgb(233, 237, 242) is --bg.
    // A string: the page's DOM types are not the test's.
    const background = await page.evaluate(
      'getComputedStyle(document.documentElement).backgroundColor',
    )
    expect(background).toBe('rgb(233, 237, 242)')
    expect(await page.evaluate('window.loadedOnce')).toBe(true)
    await page.close()
  })

  it('turns pages every rotationSeconds, in step on two TVs, with a page indicator', async () => {
    await putScreen(server, 'lobby', {
      pages: [
        { kind: 'queues', queues: ['Sales'] },
        { kind: 'agents' },
        { kind: 'queues', queues: ['Support'], figures: ['serviceLevel'] },
      ],
      rotationSeconds: 5,
      theme: 'high-contrast',
      language: 'en',
    })
    const open = async () => {
      const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } })
      await page.goto(`${server.url}/?screen=lobby&lang=en`)
      await page.waitForSelector('[data-testid="page-indicator"]')
      return page
    }
    const [tv, other] = [await open(), await open()]
    const shownOn = (page: Page) =>
      page.locator('.page:not([hidden]) [data-testid="page-indicator"]').textContent()
    // Whether a page ever showed itself still waiting for its figures (a blank at the turn).
    await tv.evaluate(WATCH_FOR_WAITING)
    const SHOWS = [
      '[data-testid="tile-Sales"]',
      '[data-testid="agent-board"]',
      '[data-testid="tile-Support"]',
    ]

    // Pages turn on the server's clock, each 5 s: whichever is up, the next three follow in
    // order, the indicator saying which, and the two TVs agree (but for a tick at the turn).
    let at = Number(/Page (\d) \/ 3/.exec((await shownOn(tv)) ?? '')?.[1])
    for (let turn = 0; turn < 3; turn++) {
      at = (at % 3) + 1
      await tv.waitForSelector(SHOWS[at - 1]!, { timeout: 7000 })
      expect(await shownOn(tv)).toBe(`Page ${at} / 3`)
      await tv.waitForTimeout(1500)
      expect(await shownOn(other)).toBe(`Page ${at} / 3`)
    }
    expect(await tv.getAttribute('html', 'data-theme')).toBe('high-contrast')
    expect(await tv.evaluate('window.sawWaiting')).toBe(false)
    await tv.close()
    await other.close()
  }, 40_000)

  it('is set up from the managers’ Screens panel, by keyboard, and the TV follows', async () => {
    const manage = await browser.newPage({ viewport: { width: 1366, height: 768 } })
    await manage.goto(`${server.url}/manage?lang=en`)
    const panel = manage.locator('[data-testid="screens-panel"]')
    await panel.waitFor()

    // A new screen: name typed and Enter; one page of Sales tiles, light, saved by Enter.
    await manage.locator('[data-testid="screen-new-name"]').fill('panel-tv')
    await manage.locator('[data-testid="screen-new-name"]').press('Enter')
    await manage.locator('[data-testid="page-queues"]').fill('Sales')
    await manage.locator('[data-testid="screen-theme"]').selectOption('light')
    await manage.locator('[data-testid="screen-language"]').selectOption('en')
    await manage.locator('[data-testid="screen-save"]').focus()
    await manage.keyboard.press('Enter')
    await manage.getByText('✓ Saved').waitFor()
    await manage.locator('[data-testid="screen-row-panel-tv"]').waitFor()
    await panel.screenshot({ path: 'test-results/screens-panel-1366.png' })

    const tv = await browser.newPage({ viewport: { width: 1366, height: 768 } })
    await tv.goto(`${server.url}/?screen=panel-tv&lang=en`)
    await tv.waitForSelector('[data-testid="tile-Sales"]')
    expect(await tiles(tv)).toEqual(['tile-total', 'tile-Sales'])
    expect(await tv.getAttribute('html', 'data-theme')).toBe('light')

    // Support instead, no total, high contrast: the TV changes without reloading.
    await tv.evaluate('window.loadedOnce = true')
    await manage.locator('[data-testid="page-queues"]').fill('Support')
    await manage.locator('[data-testid="page-total"]').uncheck()
    await manage.locator('[data-testid="screen-theme"]').selectOption('high-contrast')
    await manage.locator('[data-testid="screen-save"]').click()
    await tv.waitForSelector('[data-testid="tile-Support"]', { timeout: 3000 })
    expect(await tiles(tv)).toEqual(['tile-Support'])
    expect(await tv.getAttribute('html', 'data-theme')).toBe('high-contrast')
    expect(await tv.evaluate('window.loadedOnce')).toBe(true)

    // A wrong value is refused with its field named, and the TV keeps its layout.
    await manage.locator('[data-testid="screen-rotation"]').fill('2')
    await manage.locator('[data-testid="screen-save"]').click()
    const refusal = manage.locator('[data-testid="screen-message"][role="alert"]')
    expect(await refusal.textContent()).toContain('Seconds per page')
    await manage.close()
    await tv.close()
  })

  it('labels the Screens panel in Chinese with ?lang=zh, with the handbook’s terms', async () => {
    await putScreen(server, 'zh-labels', { pages: [{ kind: 'queues' }] })
    const manage = await browser.newPage({ viewport: { width: 1366, height: 768 } })
    await manage.goto(`${server.url}/manage?lang=zh`)
    await manage.locator('[data-testid="screen-edit-zh-labels"]').click()
    const panel = manage.locator('[data-testid="screens-panel"]')
    expect(await panel.locator('h2').textContent()).toBe('屏幕')
    const labels = await panel.locator('.figures label').allTextContents()
    expect(labels.map((label) => label.trim())).toEqual([
      '服务水平',
      '排队数',
      '最长等待',
      '平均应答速度',
      '放弃率',
      '接通率',
      '平均处理时长',
      '呼入 / 接通',
    ])
    expect(await panel.getByRole('button', { name: '保存' }).count()).toBe(1)
    await manage.close()
  })

  it('says so when no screen has the name, and shows it once a manager makes it', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } })
    await page.goto(`${server.url}/?screen=not-yet&lang=en`)
    await page.getByText('No screen named “not-yet” yet').waitFor()

    await putScreen(server, 'not-yet', { pages: [{ kind: 'queues', queues: ['Sales'] }] })
    await page.waitForSelector('[data-testid="tile-Sales"]', { timeout: 3000 })
    await page.close()
  })

  it('loads itself again in the screen’s language when it is changed', async () => {
    await putScreen(server, 'zh-tv', { pages: [{ kind: 'queues' }], language: 'en' })
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } })
    await page.goto(`${server.url}/?screen=zh-tv&lang=en`)
    await page.waitForSelector('[data-testid="tile-total"]')
    expect(await page.getAttribute('html', 'lang')).toBe('en')

    await putScreen(server, 'zh-tv', { pages: [{ kind: 'queues' }], language: 'zh' })
    await page.waitForURL(/lang=zh/, { timeout: 3000 })
    await page.waitForSelector('[data-testid="tile-total"]')
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN')
    await page.getByText('服务水平').first().waitFor()
    await page.close()
  }, 15_000)
})

/**
 * Every theme of a screen in Chromium (issue 5: "sufficient contrast"): each piece of text on
 * the queue tiles and the agent board is measured against the background it is drawn on, as
 * WCAG 2 defines contrast: 4.5:1 for text, 3:1 for large text (24 px, or 18.66 px bold).
 */
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { THEMES } from '../../shared/screens.ts'
import { launchChromium } from '../helpers/chromium.ts'
import { post, startTestServer, type TestServer } from '../helpers/test-server.ts'

/** Met (answered in 5 s), missed (answered in 40 s, and one waiting 60 s) and near queues. */
function day(): string {
  const now = Math.floor(Date.now() / 1000)
  const lines = [
    `${now - 90}|m1|Sales|NONE|ENTERQUEUE||1|1`,
    `${now - 85}|m1|Sales|PJSIP/1001|CONNECT|5|b-m1|1`,
    `${now - 90}|l1|Late|NONE|ENTERQUEUE||2|1`,
    `${now - 50}|l1|Late|PJSIP/1002|CONNECT|40|b-l1|1`,
    `${now - 60}|l2|Late|NONE|ENTERQUEUE||3|1`,
    `${now - 200}|x1|Late|PJSIP/1003|ADDMEMBER|`,
    `${now - 200}|x2|Late|PJSIP/1004|PAUSE|lunch`,
  ]
  // Near: 15 of 16 within 20 s is 93.75 %... too high; 14 of 18 is 77.8 %, just under 80 %.
  for (let i = 0; i < 18; i++) {
    const wait = i < 14 ? 5 : 30
    lines.push(`${now - 100}|n${i}|Near|NONE|ENTERQUEUE||4${i}|1`)
    lines.push(`${now - 100 + wait}|n${i}|Near|PJSIP/20${i}|CONNECT|${wait}|b-n${i}|1`)
  }
  return lines.join('\n')
}

// Runs in the page, as a string: its DOM types are not the test's. Returns every text whose
// contrast falls short, with the ratio, and the lowest ratio seen.
const MEASURE = `(() => {
  const parse = (value) => {
    let m = /rgba?\\(([^)]+)\\)/.exec(value)
    if (m) {
      const p = m[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number)
      return [p[0], p[1], p[2], p[3] ?? 1]
    }
    m = /color\\(srgb ([^)]+)\\)/.exec(value)
    if (m) {
      const p = m[1].split(/[\\s\\/]+/).filter(Boolean).map(Number)
      return [p[0] * 255, p[1] * 255, p[2] * 255, p[3] ?? 1]
    }
    return null
  }
  const over = (top, under) => {
    const a = top[3]
    return [0, 1, 2].map((i) => top[i] * a + under[i] * (1 - a)).concat(1)
  }
  const backgroundOf = (element) => {
    const layers = []
    for (let node = element; node; node = node.parentElement) {
      const colour = parse(getComputedStyle(node).backgroundColor)
      if (colour && colour[3] > 0) layers.push(colour)
      if (colour && colour[3] >= 1) break
    }
    let result = parse(getComputedStyle(document.documentElement).backgroundColor)
    for (const layer of layers.reverse()) result = over(layer, result)
    return result
  }
  const luminance = (c) => {
    const [r, g, b] = c.slice(0, 3).map((v) => {
      const s = v / 255
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4
    })
    return 0.2126 * r + 0.7152 * g + 0.0722 * b
  }
  const ratio = (a, b) => {
    const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x)
    return (hi + 0.05) / (lo + 0.05)
  }
  const short = []
  let lowest = Infinity
  let measured = 0
  for (const element of document.querySelectorAll('body *')) {
    const text = [...element.childNodes]
      .filter((node) => node.nodeType === 3)
      .map((node) => node.textContent.trim())
      .join('')
    if (text === '' || element.getClientRects().length === 0) continue
    const style = getComputedStyle(element)
    if (style.visibility === 'hidden') continue
    const background = backgroundOf(element)
    const colour = over(parse(style.color), background)
    const size = parseFloat(style.fontSize)
    const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700)
    const value = ratio(colour, background)
    measured += 1
    lowest = Math.min(lowest, value)
    if (value < (large ? 3 : 4.5)) short.push(text.slice(0, 40) + ': ' + value.toFixed(2))
  }
  return { short, lowest, measured }
})()`

async function putScreen(server: TestServer, name: string, layout: object): Promise<void> {
  const response = await fetch(`${server.url}/api/v1/screens/${name}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(layout),
  })
  expect(response.status).toBe(200)
}

async function measure(page: Page) {
  return (await page.evaluate(MEASURE)) as { short: string[]; lowest: number; measured: number }
}

describe('screen themes in Chromium', () => {
  let browser: Browser
  let server: TestServer

  beforeAll(async () => {
    browser = await launchChromium()
    server = await startTestServer()
    expect((await post(`${server.url}/api/v1/events/asterisk`, day())).status).toBe(200)
  })
  afterAll(async () => {
    await browser?.close()
    await server?.cleanup()
  })

  for (const theme of THEMES) {
    it(`gives every text enough contrast in the ${theme} theme`, async () => {
      const figures = ['serviceLevel', 'waiting', 'longestWait', 'asa', 'abandonRate']
      await putScreen(server, theme, {
        pages: [{ kind: 'queues', figures: [...figures, 'answerRate', 'aht', 'offeredAnswered'] }],
        theme,
        language: 'en',
      })
      const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } })
      await page.goto(`${server.url}/?screen=${theme}&lang=en`)
      await page.waitForSelector('[data-testid="tile-Late"][data-grade="missed"]')
      await page.waitForSelector('[data-testid="tile-Near"][data-grade="near"]')
      await page.waitForSelector('[data-testid="tile-Sales"][data-grade="met"]')
      expect(await page.getAttribute('html', 'data-theme')).toBe(theme)

      const tiles = await measure(page)
      console.log(`${theme} tiles: ${tiles.measured} texts, lowest ${tiles.lowest.toFixed(2)}:1`)
      expect(tiles.short).toEqual([])
      await page.screenshot({ path: `test-results/screen-${theme}-1080p.png` })

      await putScreen(server, theme, { pages: [{ kind: 'agents' }], theme, language: 'en' })
      await page.waitForSelector('[data-testid="agent-board"] [data-testid^="agent-"]')
      const board = await measure(page)
      console.log(`${theme} agents: ${board.measured} texts, lowest ${board.lowest.toFixed(2)}:1`)
      expect(board.short).toEqual([])
      await page.screenshot({ path: `test-results/screen-${theme}-agents-1080p.png` })
      await page.close()
    })
  }
})

import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AgentSnapshot } from '../../shared/agent-protocol.ts'
import { launchChromium } from '../helpers/chromium.ts'
import { post, startTestServer, type TestServer } from '../helpers/test-server.ts'
import { freePort } from '../helpers/free-port.ts'

const MIN = 60_000

/**
 * A floor of `count` agents in canonical events (ids 2000…), and six named ones from
 * queue_log, whose states a team leader would look for:
 *   1001 talking in Sales since 3 min ago            1002 not ready (break) 20 min: overrun
 *   1003 not ready (Lunch) 20 min: within lunch's 60  1004 available, scheduled on_queue
 *   1005 logged out                                   1006 available in Support only
 */
function floor(count: number) {
  const now = Date.now()
  const t = Math.floor(now / 1000)
  const queueLog = [
    ...['1001', '1002', '1003', '1004', '1005'].map(
      (id) => `${t - 1800}|NONE|Sales|PJSIP/${id}|ADDMEMBER|`,
    ),
    `${t - 1800}|NONE|Support|PJSIP/1006|ADDMEMBER|`,
    `${t - 200}|c1|Sales|NONE|ENTERQUEUE||13800138000|1`,
    `${t - 180}|c1|Sales|PJSIP/1001|CONNECT|20|b1|1`,
    `${t - 20 * 60}|NONE|Sales|PJSIP/1002|PAUSE|break`,
    `${t - 20 * 60}|NONE|Sales|PJSIP/1003|PAUSE|Lunch`,
    `${t - 600}|NONE|Sales|PJSIP/1005|REMOVEMEMBER|`,
  ].join('\n')

  // The generated agents change state in the last 40 minutes; their not-ready spells are
  // kept under 15 minutes, so that 1002 is the one overrun.
  const states = ['available', 'talking', 'wrap_up', 'not_ready', 'hold', 'outbound'] as const
  const json = Array.from({ length: count }, (_, index) => {
    const state = states[index % states.length]
    const minutes = state === 'not_ready' ? (index * 7) % 14 : (index * 7) % 40
    const reason = state === 'not_ready' ? { reason: 'meeting' } : {}
    return {
      type: 'agent.state',
      agent: String(2000 + index),
      ts: now - minutes * MIN,
      state,
      ...reason,
    }
  })
  return { queueLog, json: JSON.stringify(json) }
}

async function cells(page: Page) {
  return page.$$eval('[data-testid^="agent-"][data-state]', (nodes) =>
    nodes.map((node) => ({
      id: node.getAttribute('data-testid')?.slice('agent-'.length),
      state: node.getAttribute('data-state'),
      overrun: node.getAttribute('data-overrun'),
      adherence: node.getAttribute('data-adherence'),
      time: node.querySelector('[data-field="timeInState"]')?.textContent?.trim(),
    })),
  )
}

describe('the agent board in Chromium', () => {
  let browser: Browser
  let server: TestServer

  beforeAll(async () => {
    browser = await launchChromium()
    server = await startTestServer({ PORT: String(await freePort()) })
    const { queueLog, json } = floor(400)
    await post(`${server.url}/api/v1/events/asterisk`, queueLog)
    await post(`${server.url}/api/v1/events`, json, 'application/json')

    const put = (path: string, body: unknown) =>
      fetch(`${server.url}/api/v1${path}`, { method: 'PUT', body: JSON.stringify(body) })
    await put('/teams', [{ id: 'north', name: 'North', leader: 'Wang Fang' }])
    await put('/roster', [
      { id: '1001', name: '王芳', team: 'north' },
      { id: '1002', name: 'Li Lei', team: 'north' },
      { id: '1003', team: 'north' },
    ])
  }, 60_000)
  afterAll(async () => {
    await browser?.close()
    await server?.cleanup()
  })

  it('shows each agent as the API does, overruns first, time ticking, one screen', async () => {
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } })
    await page.goto(`${server.url}/?view=agents`)
    await page.waitForSelector('[data-testid="connection"][data-state="live"]')
    await page.waitForSelector('[data-testid="agent-1001"]')

    const api = (await (await fetch(`${server.url}/api/v1/agents`)).json()) as AgentSnapshot
    const shown = await cells(page)
    expect(shown).toHaveLength(406)
    const stateOf = new Map(shown.map((cell) => [cell.id, cell.state]))
    for (const agent of api.agents) expect.soft(stateOf.get(agent.id), agent.id).toBe(agent.state)

    // Hand-checked: the 20-minute break is over the 15-minute limit and leads the board;
    // the 20-minute lunch is within lunch's 60. 1005 left its queue.
    expect(shown[0]).toMatchObject({ id: '1002', state: 'not_ready', overrun: 'not_ready' })
    expect(shown.find((c) => c.id === '1003')).toMatchObject({ state: 'not_ready', overrun: '' })
    expect(shown.find((c) => c.id === '1001')).toMatchObject({ state: 'talking' })
    expect(shown.find((c) => c.id === '1005')).toMatchObject({ state: 'logged_out' })
    // Not only colour: each cell says its state in a word and a mark.
    expect(await page.textContent('[data-testid="agent-1001"] .state')).toContain('Talk')
    expect(await page.getAttribute('[data-testid="legend-talking"]', 'data-count')).toBe(
      String(api.total.states.talking),
    )

    // Time in state ticks between messages: 1001 has talked about 3:00, and on.
    const before = shown.find((c) => c.id === '1001')?.time ?? ''
    expect(before).toMatch(/^[23]:\d\d$/)
    const ticked = `[data-testid="agent-1001"] [data-field="timeInState"]`
    await expect
      .poll(async () => (await page.textContent(ticked))?.trim(), { timeout: 5000 })
      .not.toBe(before)

    // 406 agents on 1920 × 1080: no scrolling, every cell inside the screen, text readable.
    const [scrollHeight, clientHeight] = (await page.evaluate(
      '[document.documentElement.scrollHeight, document.documentElement.clientHeight]',
    )) as [number, number]
    expect(scrollHeight).toBeLessThanOrEqual(clientHeight)
    // Strings, as in the wall's test: the page's DOM types are not the test's.
    const cellNodes = `[...document.querySelectorAll('[data-testid^="agent-"][data-state]')]`
    const measure = `(node) => ({ ...node.getBoundingClientRect().toJSON(),
      font: getComputedStyle(node).fontSize })`
    const boxes = (await page.evaluate(`${cellNodes}.map(${measure})`)) as {
      bottom: number
      right: number
      font: string
    }[]
    expect(boxes).toHaveLength(406)
    expect(Math.max(...boxes.map((box) => box.bottom))).toBeLessThanOrEqual(1080)
    expect(Math.max(...boxes.map((box) => box.right))).toBeLessThanOrEqual(1920)
    expect(Math.min(...boxes.map((box) => parseFloat(box.font)))).toBeGreaterThanOrEqual(9)
    await page.screenshot({ path: 'test-results/agent-board-1080p.png' })
    await page.close()
  }, 60_000)

  it('filters by team and by queue from the URL', async () => {
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } })

    await page.goto(`${server.url}/agents?team=north`)
    await page.waitForSelector('[data-testid="agent-1001"]')
    expect((await cells(page)).map((cell) => cell.id)).toEqual(['1002', '1001', '1003'])

    await page.goto(`${server.url}/?view=agents&queue=Support`)
    await page.waitForSelector('[data-testid="agent-1006"]')
    expect((await cells(page)).map((cell) => cell.id)).toEqual(['1006'])
    await page.close()
  }, 60_000)
})

/**
 * The wall in Chromium at 1920×1080: main-thread work per frame while a real server (in
 * a child process) pushes updates that change every queue tile, or every agent cell,
 * several times a second. The work is read from a Chrome trace: a frame's rendering task
 * (style, layout, paint) plus the main-thread tasks of the 16.7 ms before it (the update's
 * message handler, Svelte's DOM changes, the clock, garbage collection): what had to fit
 * in one frame at 60 Hz for the frame to be on time.
 */
import type { Page } from 'playwright-core'
import { launchChromium } from '../test/helpers/chromium.ts'
import { ServerProcess } from '../test/helpers/server-process.ts'
import { AGENT_STATES } from '../shared/events.ts'
import type { BenchRedis } from './bench-redis.ts'
import { percentile, round, sleep, spread, type Spread } from './stats.ts'
import { queueName } from './traffic.ts'

export interface WallOptions {
  queues: number
  agents: number
  updatesPerS: number
  seconds: number
}

export interface WallResult {
  /** The queue wall: one tile per queue and the total. */
  tilesFrameMs: Spread & { p90: number }
  /** The agent board: one cell per agent. */
  agentsFrameMs: Spread & { p90: number }
  queues: number
  agents: number
  updatesPerS: number
}

interface TraceEvent {
  name: string
  ph: string
  pid: number
  tid: number
  ts: number
  dur?: number
  args?: { name?: string }
}

/** One frame at 60 Hz, in the trace's microseconds. */
const FRAME_US = 16_700
/** Events that only a task which renders a frame contains. */
const RENDER_STEPS = new Set(['UpdateLayoutTree', 'Layout', 'PrePaint', 'Paint', 'Commit'])
/** States an agent cycles through, one step per update; logged out ones leave the board. */
const CYCLE = AGENT_STATES.filter((state) => state !== 'logged_out')

export async function benchWall(redis: BenchRedis, options: WallOptions): Promise<WallResult> {
  const prefix = redis.prefix('wall')
  const server = await ServerProcess.start({ redisUrl: redis.url, prefix })
  const browser = await launchChromium()
  let step = 0

  const post = async (path: string, body: string) => {
    const response = await fetch(server.url + path, { method: 'POST', body })
    if (!response.ok) throw new Error(`POST ${path}: ${response.status} ${await response.text()}`)
  }
  const changeQueues = () => post('/api/v1/events/asterisk', queueCalls(options.queues, ++step))
  const changeAgents = () => post('/api/v1/events', agentStates(options.agents, ++step))

  try {
    await changeQueues()
    await changeAgents()
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } })

    await page.goto(`${server.url}/?window=today`)
    await page.waitForSelector(`[data-testid="tile-${queueName(options.queues - 1)}"]`)
    const tilesFrameMs = await measure(page, options, changeQueues)

    await page.goto(`${server.url}/agents`)
    await page.waitForSelector(`[data-testid="agent-${2000 + options.agents - 1}"]`)
    const agentsFrameMs = await measure(page, options, changeAgents)

    return { tilesFrameMs, agentsFrameMs, ...options }
  } finally {
    await browser.close()
    await server.stop()
    await redis.drop(prefix)
  }
}

/** Traces the page while `change` runs `updatesPerS` times a second. */
async function measure(page: Page, options: WallOptions, change: () => Promise<void>) {
  await sleep(1500)
  const browser = page.context().browser()
  if (browser === null) throw new Error('the page has no browser')

  await browser.startTracing(page, {
    categories: ['toplevel', 'devtools.timeline', 'disabled-by-default-devtools.timeline'],
  })
  const started = performance.now()
  for (let i = 1; i <= options.updatesPerS * options.seconds; i++) {
    await change()
    await sleep(started + (i * 1000) / options.updatesPerS - performance.now())
  }
  const trace = await browser.stopTracing()

  return frameWork(JSON.parse(trace.toString('utf8')))
}

/** One call per queue, entered 8 s ago and answered now: every tile's counts move. */
function queueCalls(queues: number, step: number): string {
  const now = Math.floor(Date.now() / 1000)
  const lines: string[] = []

  for (let q = 0; q < queues; q++) {
    const id = `wall-${step}-${q}`
    const queue = queueName(q)
    lines.push(
      `${now - 8}|${id}|${queue}|NONE|ENTERQUEUE||13800138000|1`,
      `${now}|${id}|${queue}|PJSIP/${1000 + q}|CONNECT|8|${id}.1|2`,
    )
  }
  return lines.join('\n')
}

/** Every agent moves to the next state: every cell changes colour, word and time. */
function agentStates(agents: number, step: number): string {
  const ts = Date.now()
  const events = Array.from({ length: agents }, (_, index) => {
    const state = CYCLE[(index + step) % CYCLE.length]
    const reason = state === 'not_ready' ? { reason: 'meeting' } : {}
    return { type: 'agent.state', agent: String(2000 + index), ts, state, ...reason }
  })
  return JSON.stringify(events)
}

function frameWork(trace: { traceEvents: TraceEvent[] } | TraceEvent[]) {
  const events = Array.isArray(trace) ? trace : trace.traceEvents
  const main = events.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain')
  if (main === undefined) throw new Error('the trace has no renderer main thread')

  const onMain = events.filter((e) => e.pid === main.pid && e.tid === main.tid && e.ph === 'X')
  const tasks = onMain.filter((e) => e.name === 'RunTask').sort((a, b) => a.ts - b.ts)
  const renders = onMain.filter((e) => RENDER_STEPS.has(e.name)).map((e) => e.ts)

  const frames: number[] = []
  for (const [index, task] of tasks.entries()) {
    const end = task.ts + (task.dur ?? 0)
    if (!renders.some((ts) => ts >= task.ts && ts < end)) continue

    let work = task.dur ?? 0
    for (let before = index - 1; before >= 0; before--) {
      const earlier = tasks[before] as TraceEvent
      if (earlier.ts + (earlier.dur ?? 0) <= task.ts - FRAME_US) break
      work += earlier.dur ?? 0
    }
    frames.push(round(work / 1000, 2))
  }
  return { ...spread(frames), p90: percentile(frames, 90) }
}

/**
 * The wall in Chromium: main-thread work per frame while every queue tile changes several
 * times a second, read from a Chrome trace. A frame's work is its rendering task (style,
 * layout, paint) plus every task since the previous frame (the update's message handler,
 * Svelte's DOM changes, the clock), so a frame under 16 ms never holds up the next one.
 */
import { launchChromium } from '../test/helpers/chromium.ts'
import { round, spread, type Spread } from './stats.ts'
import { startWallFeed } from './wall-feed.ts'

export interface WallOptions {
  webDir: string
  queues: number
  updatesPerS: number
  seconds: number
}

export interface WallResult {
  frameMs: Spread
  queues: number
  updatesPerS: number
  updates: number
  /** The agent board's cells, when the wall has one; null when it does not (yet). */
  agentCells: number | null
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

/** Events that only a task which renders a frame contains. */
const RENDER_STEPS = new Set(['UpdateLayoutTree', 'Layout', 'PrePaint', 'Paint', 'Commit'])

export async function benchWall(options: WallOptions): Promise<WallResult> {
  const feed = await startWallFeed(options)
  const browser = await launchChromium()

  try {
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } })
    await page.goto(`${feed.url}/?window=today`)
    await page.waitForSelector('[data-testid="tile-total"]')
    await page.waitForTimeout(1500)

    await browser.startTracing(page, {
      categories: ['toplevel', 'devtools.timeline', 'disabled-by-default-devtools.timeline'],
    })
    const before = feed.updates()
    await page.waitForTimeout(options.seconds * 1000)
    const trace = await browser.stopTracing()
    const updates = feed.updates() - before

    return {
      frameMs: frameWork(JSON.parse(trace.toString('utf8'))),
      queues: options.queues,
      updatesPerS: options.updatesPerS,
      updates,
      agentCells: null,
    }
  } finally {
    await browser.close()
    await feed.close()
  }
}

function frameWork(trace: { traceEvents: TraceEvent[] } | TraceEvent[]): Spread {
  const events = Array.isArray(trace) ? trace : trace.traceEvents
  const main = events.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain')
  if (main === undefined) throw new Error('the trace has no renderer main thread')

  const onMain = events.filter((e) => e.pid === main.pid && e.tid === main.tid && e.ph === 'X')
  const tasks = onMain.filter((e) => e.name === 'RunTask').sort((a, b) => a.ts - b.ts)
  const renders = onMain.filter((e) => RENDER_STEPS.has(e.name))

  const frames: number[] = []
  let sinceLastFrame = 0
  for (const task of tasks) {
    const end = task.ts + (task.dur ?? 0)
    sinceLastFrame += task.dur ?? 0
    if (!renders.some((step) => step.ts >= task.ts && step.ts < end)) continue

    frames.push(round(sinceLastFrame / 1000, 2))
    sinceLastFrame = 0
  }
  return spread(frames)
}

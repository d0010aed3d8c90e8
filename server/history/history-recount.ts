/**
 * Counts quarters again from the stream, for those the live engine does not hold whole: a
 * restarted process rebuilt only from the start of today (or an hour back), so a late
 * event for a quarter before that would otherwise replace the quarter stored with itself
 * alone. Every event stamped in a quarter arrived after the quarter began, so while the
 * quarter is younger than the stream's retention the stream holds all of them, and a
 * replay through an engine of its own, with the live one's settings, counts it whole.
 */
import type { Redis } from 'ioredis'
import { QUARTER_MS } from '../../shared/windows.ts'
import { Engine, type EngineSettings } from '../engine/engine.ts'
import { parseEntry } from '../store/stream-reader.ts'
import { ALL_QUEUES } from './history-codec.ts'
import type { QuarterRecord } from './history-store.ts'

/** Entries per XRANGE: each page is a short read, and the event loop runs between pages. */
const PAGE = 5000
/** How far ahead of its own time a source's clock may stamp an event (as live). */
const MAX_CLOCK_SKEW_MS = 5000

export interface RecountOptions {
  redis: Redis
  stream: string
  /** The live engine's settings, so the replay counts as it does. */
  settings: EngineSettings
  retentionMs: number
  now: number
  /** The last stream entry the live engine has applied: the replay stops there. */
  toId: string
}

export interface Recount {
  /** Every queue's quarters (and all queues' calls waiting) starting in [from, until). */
  records: QuarterRecord[]
  /** The first quarter counted; quarters before it are past the stream's reach. */
  from: number
}

export async function recountQuarters(
  from: number,
  until: number,
  options: RecountOptions,
): Promise<Recount> {
  const { redis, stream, settings, now } = options
  // A quarter whose first events may have been trimmed from the stream cannot be recounted.
  const reach = now - options.retentionMs + MAX_CLOCK_SKEW_MS
  const first = Math.max(from, Math.ceil(reach / QUARTER_MS) * QUARTER_MS)
  if (first >= until) return { records: [], from: first }

  const engine = new Engine({
    ...settings,
    retainMs: null,
    clockLimit: () => now + MAX_CLOCK_SKEW_MS,
  })
  // From the longest wait before, so calls waiting into the first quarter are known.
  let cursor = `${Math.floor(Math.max(0, reach, first - settings.maxWaitMs))}-0`
  for (;;) {
    const page = await redis.xrange(stream, cursor, options.toId, 'COUNT', PAGE)
    for (const [, fields] of page) {
      const event = parseEntry(fields)
      if (event !== null) engine.apply(event)
    }
    if (page.length < PAGE) break
    cursor = `(${page.at(-1)?.[0]}`
  }
  engine.advance(now)

  const records: QuarterRecord[] = []
  for (let start = first; start < until; start += QUARTER_MS) {
    const end = start + QUARTER_MS
    for (const queue of engine.queueNames()) {
      const counters = engine.quarterCounters(queue, start)
      if (counters === undefined) continue
      records.push({ queue, start, counters, waiting: engine.waitingSpan(queue, start, end) })
    }
    const waiting = engine.waitingSpan(null, start, end)
    records.push({ queue: ALL_QUEUES, start, counters: null, waiting })
  }
  return { records, from: first }
}

/**
 * Counts quarters again from the stream, for those the live engine does not hold whole: a
 * restarted process rebuilt only from the start of today (or an hour back), so a late
 * event for a quarter before that would otherwise replace the quarter stored with itself
 * alone. Every event stamped in a quarter arrived after the quarter began, so while the
 * quarter is younger than the stream's retention the stream holds all of them, and a
 * replay through an engine of its own counts it whole. Each event is counted by the
 * version of the settings in force at its own time (LiveSettings.versionAt, as the rebuild
 * starts from), not by today's: a file of yesterday posted after a change of T is counted
 * by yesterday's T, and an old quarter keeps the T and S it was counted with.
 */
import type { Redis } from 'ioredis'
import { queueSettingsOf } from '../../shared/settings.ts'
import { QUARTER_MS } from '../../shared/windows.ts'
import { Engine, type EngineSettings } from '../engine/engine.ts'
import type { LiveSettings } from '../settings/live-settings.ts'
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
  /** The live settings, whose versions the replay takes each for its own time. */
  counting: Pick<LiveSettings, 'versionAt'>
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

  // From the longest wait before, so calls waiting into the first quarter are known.
  const start = Math.floor(Math.max(0, reach, first - settings.maxWaitMs))
  // Looked up once an event, when its time differs from the last one's.
  let version = options.counting.versionAt(start)
  let versionTs = start
  const engine = new Engine({
    ...settings,
    queueCounting: (queue) => queueSettingsOf(version, queue),
    retainMs: null,
    clockLimit: () => now + MAX_CLOCK_SKEW_MS,
  })

  let cursor = `${start}-0`
  for (;;) {
    const page = await redis.xrange(stream, cursor, options.toId, 'COUNT', PAGE)
    for (const [, fields] of page) {
      const event = parseEntry(fields)
      if (event === null) continue
      if (event.ts !== versionTs) {
        versionTs = event.ts
        version = options.counting.versionAt(event.ts)
      }
      engine.apply(event)
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

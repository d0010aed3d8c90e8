/**
 * Cost of a window: what one event costs the engine until a window's figures include
 * it (apply the event, then read the window for every queue), for the 24-hour `today`
 * window and the rolling 15-minute one, on an engine holding a whole day of traffic.
 * Runs in this process on the engine alone: no Redis, no HTTP.
 */
import { Engine, ENGINE_DEFAULTS } from '../server/engine/engine.ts'
import { takeSnapshot } from '../server/engine/snapshot.ts'
import { CanonicalEventSchema, type CanonicalEvent } from '../shared/events.ts'
import type { WindowName } from '../shared/windows.ts'
import { round } from './stats.ts'
import { makeCalls, toCanonical } from './traffic.ts'

export interface WindowCostOptions {
  /** Calls over the day the engine holds before the measured events. */
  dayCalls: number
  /** Events applied (and read after) per window. */
  measured: number
  queues: number
}

export interface WindowCostResult {
  /** Microseconds per event: apply, then read today's figures (a day of quarter buckets). */
  todayUs: number
  /** The same with the rolling 15-minute window (minute buckets). */
  fifteenMinUs: number
  ratio: number
  /** Applying an event alone, whatever window is read later. */
  applyOnlyUs: number
  measured: number
  queues: number
}

/** 23:55 UTC on a fixed day: `today` then spans 95 quarter-hour buckets. */
const DAY_END_MS = Date.UTC(2026, 2, 2, 23, 55)

export function benchWindowCost(options: WindowCostOptions): WindowCostResult {
  const calls = makeCalls({
    calls: options.dayCalls,
    queues: options.queues,
    tag: 'wc',
    endS: DAY_END_MS / 1000,
    spreadS: 23 * 3600,
  })
  const events = calls
    .flatMap((call) => toCanonical(call).map((event) => CanonicalEventSchema.parse(event)))
    .sort((a, b) => a.ts - b.ts)
  const history = events.slice(0, -options.measured)
  const recent = events.slice(-options.measured)

  // Alternating rounds, the best of each: a busy machine only ever adds time.
  let [applyOnlyUs, todayUs, fifteenMinUs] = [Infinity, Infinity, Infinity]
  for (let round = 0; round < 3; round++) {
    applyOnlyUs = Math.min(applyOnlyUs, timePerEvent(history, recent, null))
    todayUs = Math.min(todayUs, timePerEvent(history, recent, 'today'))
    fifteenMinUs = Math.min(fifteenMinUs, timePerEvent(history, recent, '15m'))
  }

  return {
    todayUs: round(todayUs, 2),
    fifteenMinUs: round(fifteenMinUs, 2),
    ratio: round(todayUs / fifteenMinUs, 2),
    applyOnlyUs: round(applyOnlyUs, 2),
    measured: recent.length,
    queues: options.queues,
  }
}

/** Microseconds per event of `recent` on an engine that already holds `history`. */
function timePerEvent(
  history: readonly CanonicalEvent[],
  recent: readonly CanonicalEvent[],
  window: WindowName | null,
): number {
  const engine = new Engine({
    ...ENGINE_DEFAULTS,
    time: { tz: 'UTC', dayStartMinutes: 0, intervalMinutes: 30 },
    retainMs: 26 * 3600 * 1000,
  })
  for (const event of history) engine.apply(event)

  const started = performance.now()
  for (const event of recent) {
    engine.apply(event)
    if (window === null) continue
    takeSnapshot(engine, { window, now: engine.clock, streamId: '0-0', target: 0.8 })
  }
  return ((performance.now() - started) * 1000) / recent.length
}

/**
 * Reads one window's figures out of the engine, per queue and for all queues together.
 */
import {
  addCounters,
  deriveFigures,
  emptyCounters,
  type FigureRule,
  type Figures,
  type LiveQueue,
} from '../../shared/figures.ts'
import type { Snapshot } from '../../shared/protocol.ts'
import {
  describeWindow,
  ROLLING_MINUTES,
  windowRange,
  type WindowName,
} from '../../shared/windows.ts'
import type { Engine } from './engine.ts'
import { totalRule } from './total-rule.ts'

export interface SnapshotOptions {
  window: WindowName
  now: number
  streamId: string
  /** Service-level target, 0–1. */
  target: number
  /**
   * How each queue (null: the default row) is judged; V2 and no target without it. The
   * total takes the rule its queues share, else the default row's (total-rule.ts).
   */
  rules?: (queue: string | null) => FigureRule
  /** Limit the queues reported (and summed into the total); all when omitted. */
  queues?: readonly string[]
}

export function takeSnapshot(engine: Engine, options: SnapshotOptions): Snapshot {
  const { window, now } = options
  const time = engine.settings.time
  const { start, end } = windowRange(window, now, time)
  const rolling = ROLLING_MINUTES[window] !== undefined
  const names = options.queues ?? engine.queueNames()
  const rules = options.rules

  const total = emptyCounters()
  const totalLive: LiveQueue = { waiting: 0, oldestEnteredAt: null }
  const queues: Record<string, Figures> = {}

  for (const name of names) {
    const counters = engine.sumQueue(emptyCounters(), name, start, end, rolling)
    const live = engine.live(name)

    queues[name] = deriveFigures(counters, live, now, options.rules?.(name))
    addCounters(total, counters)
    totalLive.waiting += live.waiting
    totalLive.oldestEnteredAt = earliest(totalLive.oldestEnteredAt, live.oldestEnteredAt)
  }

  return {
    asOf: now,
    window,
    windowStart: start,
    windowLabel: describeWindow(window, start, time),
    streamId: options.streamId,
    threshold: options.rules?.(null).thresholdSeconds ?? engine.settings.thresholdSeconds,
    target: options.target,
    tz: time.tz,
    queues,
    total: deriveFigures(total, totalLive, now, rules && totalRule(rules, names)),
  }
}

function earliest(a: number | null, b: number | null): number | null {
  if (a === null) return b
  if (b === null) return a
  return Math.min(a, b)
}

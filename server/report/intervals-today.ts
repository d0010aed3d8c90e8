/**
 * Today's interval figures from the live engine: the report command's day, cut at the
 * interval running now, so a chart or an export never shows intervals still to come.
 */
import type { IntervalsToday } from '../../shared/intervals.ts'
import { dayStartOf } from '../../shared/windows.ts'
import type { LiveFigures } from '../live/live-figures.ts'
import { dayIntervals } from './day-intervals.ts'

export function intervalsToday(
  live: LiveFigures,
  now: number,
  queues?: readonly string[],
): IntervalsToday {
  const engine = live.engine
  const at = Math.max(now, engine.clock)

  return dayIntervals(engine, dayStartOf(at, engine.settings.time), {
    asOf: at,
    until: at,
    threshold: engine.settings.thresholdSeconds,
    target: live.snapshot('today', []).target,
    queues,
  })
}

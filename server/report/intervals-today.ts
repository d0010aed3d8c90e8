/**
 * Today's interval figures from the live engine: the report command's day, cut at the
 * interval running now, so a chart or an export never shows intervals still to come.
 */
import { DateTime } from 'luxon'
import type { IntervalsToday } from '../../shared/intervals.ts'
import { dayStartOf, nextDayStart } from '../../shared/windows.ts'
import { reportDay } from '../engine/report.ts'
import type { LiveFigures } from '../live/live-figures.ts'

export function intervalsToday(
  live: LiveFigures,
  now: number,
  queues?: readonly string[],
): IntervalsToday {
  const engine = live.engine
  const time = engine.settings.time
  const at = Math.max(now, engine.clock)
  const dayStart = dayStartOf(at, time)
  const day = reportDay(engine, dayStart, queues)

  const intervals = day.intervals
    .map(({ startsAt, start, queues: figures, total }) => ({
      at: DateTime.fromISO(startsAt).toMillis(),
      start,
      queues: figures,
      total,
    }))
    .filter((interval) => interval.at <= at)

  return {
    asOf: at,
    date: day.date,
    dayStart,
    dayEnd: nextDayStart(dayStart, time),
    tz: time.tz,
    intervalMinutes: time.intervalMinutes,
    threshold: engine.settings.thresholdSeconds,
    target: live.snapshot('today', []).target,
    day: { queues: day.queues, total: day.total },
    intervals,
  }
}

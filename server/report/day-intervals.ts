/**
 * A day's interval figures in the shape the charts and the CSV take, from any source of
 * quarters: the live engine for today, the history for a past day.
 */
import { DateTime } from 'luxon'
import type { IntervalRow, IntervalsToday, LastWeek } from '../../shared/intervals.ts'
import { nextDayStart } from '../../shared/windows.ts'
import { reportDay, type QuarterSource } from '../engine/report.ts'

export interface DayIntervalsOptions {
  asOf: number
  /** Intervals starting after this have not begun and are left out. */
  until: number
  threshold: number
  target: number
  /** The queues shown (and totalled); undefined for all. */
  queues?: readonly string[]
}

export function dayIntervals(
  source: QuarterSource,
  dayStart: number,
  options: DayIntervalsOptions,
): IntervalsToday {
  const time = source.settings.time
  const { date, day, intervals } = intervalsOf(source, dayStart, options.queues)

  return {
    asOf: options.asOf,
    date,
    dayStart,
    dayEnd: nextDayStart(dayStart, time),
    tz: time.tz,
    intervalMinutes: time.intervalMinutes,
    threshold: options.threshold,
    target: options.target,
    day,
    intervals: intervals.filter((interval) => interval.at <= options.until),
    lastWeek: null,
  }
}

/** A whole past day, to be compared with. */
export function lastWeekOf(
  source: QuarterSource,
  dayStart: number,
  queues?: readonly string[],
): LastWeek {
  return { dayStart, ...intervalsOf(source, dayStart, queues) }
}

function intervalsOf(source: QuarterSource, dayStart: number, queues?: readonly string[]) {
  const day = reportDay(source, dayStart, queues)
  const intervals: IntervalRow[] = day.intervals.map(
    ({ startsAt, start, queues: figures, total }) => ({
      at: DateTime.fromISO(startsAt).toMillis(),
      start,
      queues: figures,
      total,
    }),
  )
  return { date: day.date, day: { queues: day.queues, total: day.total }, intervals }
}

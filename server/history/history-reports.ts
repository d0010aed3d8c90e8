/**
 * Interval reports of any day history holds: today from the live engine (whole and
 * current), a past day from the history in Redis, and with either the same weekday a
 * week before, for the charts' comparison.
 */
import { DateTime } from 'luxon'
import type { IntervalsToday, LastWeek } from '../../shared/intervals.ts'
import { dayStartOf, nextDayStart, type TimeSettings } from '../../shared/windows.ts'
import type { LiveFigures } from '../live/live-figures.ts'
import { dayIntervals, lastWeekOf } from '../report/day-intervals.ts'
import { intervalsToday } from '../report/intervals-today.ts'
import { HistoryDay } from './history-day.ts'
import type { HistoryStore } from './history-store.ts'

/** A week-old day changes only when an old file is posted: read again after a minute. */
const LAST_WEEK_KEPT_MS = 60_000
const LAST_WEEK_DAYS_KEPT = 8

export type DayAnswer = { report: IntervalsToday } | { missing: string }

export class HistoryReports {
  readonly #live: LiveFigures
  readonly #store: HistoryStore
  readonly #lastWeeks = new Map<number, { at: number; day: HistoryDay }>()

  constructor(live: LiveFigures, store: HistoryStore) {
    this.#live = live
    this.#store = store
  }

  get #time(): TimeSettings {
    return this.#live.engine.settings.time
  }

  /** The report of `today` or a local date (YYYY-MM-DD, already checked to be real). */
  async day(date: string, queues?: readonly string[]): Promise<DayAnswer> {
    const now = this.#live.now()
    const today = dayStartOf(now, this.#time)
    const dayStart = date === 'today' ? today : startOfDate(date, this.#time)

    if (dayStart > today) return { missing: `${date} has not begun yet` }
    if (dayStart === today) {
      const report = intervalsToday(this.#live, now, queues)
      return { report: { ...report, lastWeek: await this.#lastWeek(today, queues) } }
    }
    if (dayStart < this.#store.horizon(now)) {
      return { missing: `${date} is older than the ${this.#store.days} days history keeps` }
    }

    const past = await this.#read(dayStart)
    if (past.isEmpty) return { missing: `history holds no figures for ${date}` }

    const engine = this.#live.engine
    const report = dayIntervals(past, dayStart, {
      asOf: now,
      until: Infinity,
      threshold: engine.settings.thresholdSeconds,
      target: this.#live.snapshot('today', []).target,
      queues,
    })
    return { report: { ...report, lastWeek: await this.#lastWeek(dayStart, queues) } }
  }

  async #lastWeek(dayStart: number, queues?: readonly string[]): Promise<LastWeek | null> {
    const date = DateTime.fromMillis(dayStart, { zone: this.#time.tz }).minus({ weeks: 1 })
    const start = startOfDate(date.toISODate() ?? '', this.#time)
    if (start < this.#store.horizon(this.#live.now())) return null

    const now = Date.now()
    let kept = this.#lastWeeks.get(start)
    if (kept === undefined || now - kept.at > LAST_WEEK_KEPT_MS) {
      if (this.#lastWeeks.size >= LAST_WEEK_DAYS_KEPT) this.#lastWeeks.clear()
      kept = { at: now, day: await this.#read(start) }
      this.#lastWeeks.set(start, kept)
    }
    return kept.day.isEmpty ? null : lastWeekOf(kept.day, start, queues)
  }

  async #read(dayStart: number): Promise<HistoryDay> {
    const records = await this.#store.read(dayStart, nextDayStart(dayStart, this.#time))
    return new HistoryDay(this.#time, records, this.#live.engine.settings.figureRule)
  }
}

/** Start (epoch ms) of the site day reported under a local date. */
export function startOfDate(date: string, time: TimeSettings): number {
  const local = DateTime.fromISO(date, { zone: time.tz }).startOf('day')
  return local.plus({ minutes: time.dayStartMinutes }).toMillis()
}

/** Whether a YYYY-MM-DD string names a real calendar date. */
export function isRealDate(date: string): boolean {
  return DateTime.fromISO(date, { zone: 'UTC' }).isValid
}

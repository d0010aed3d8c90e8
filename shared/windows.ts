/**
 * The time windows figures are computed over, and where they start in the site's
 * local time. Boundaries are derived from the clock alone, so a day or interval turns
 * over on schedule even when no event arrives.
 */
import { DateTime } from 'luxon'

export const WINDOWS = ['today', 'interval', '15m', '30m', '60m'] as const
export type WindowName = (typeof WINDOWS)[number]

export const ROLLING_MINUTES: Partial<Record<WindowName, number>> = {
  '15m': 15,
  '30m': 30,
  '60m': 60,
}

export interface TimeSettings {
  /** IANA zone of the site, e.g. Asia/Shanghai. */
  tz: string
  /** Minutes after local midnight at which the day starts; a multiple of 15. */
  dayStartMinutes: number
  /** Length of the reporting interval, 15 or 30 minutes, aligned to the local clock. */
  intervalMinutes: 15 | 30
}

export const QUARTER_MS = 15 * 60 * 1000
export const MINUTE_MS = 60 * 1000

export function isWindowName(value: string): value is WindowName {
  return (WINDOWS as readonly string[]).includes(value)
}

/**
 * The last day looked up with each settings object, and its label. A live server asks for
 * today many times a second, and time-zone arithmetic costs more than the figures do.
 */
const lastDays = new WeakMap<TimeSettings, { start: number; next: number; label?: string }>()

/** Start (epoch ms) of the local day that contains `ts`, honouring the day start. */
export function dayStartOf(ts: number, settings: TimeSettings): number {
  const last = lastDays.get(settings)
  if (last !== undefined && ts >= last.start && ts < last.next) return last.start

  const local = DateTime.fromMillis(ts, { zone: settings.tz })
  let start = atMinuteOfDay(local, settings.dayStartMinutes)

  if (start.toMillis() > ts)
    start = atMinuteOfDay(local.minus({ days: 1 }), settings.dayStartMinutes)
  lastDays.set(settings, {
    start: start.toMillis(),
    next: nextDayStart(start.toMillis(), settings),
  })
  return start.toMillis()
}

/** Start of the day after the one starting at `dayStart` (23 or 25 hours later on DST days). */
export function nextDayStart(dayStart: number, settings: TimeSettings): number {
  const local = DateTime.fromMillis(dayStart, { zone: settings.tz }).plus({ days: 1 })
  return atMinuteOfDay(local, settings.dayStartMinutes).toMillis()
}

/** The local calendar date (YYYY-MM-DD) a day is reported under: the date it starts on. */
export function dayLabel(dayStart: number, settings: TimeSettings): string {
  return DateTime.fromMillis(dayStart, { zone: settings.tz }).toISODate() ?? ''
}

/**
 * Start of the reporting interval containing `ts`. Intervals are counted in real elapsed
 * time from the day start, so a DST day has 46 or 50 half-hours and none is skipped.
 */
export function intervalStartOf(ts: number, settings: TimeSettings): number {
  const day = dayStartOf(ts, settings)
  const length = settings.intervalMinutes * MINUTE_MS
  return day + Math.floor((ts - day) / length) * length
}

/** The [start, end) range of a window at `now`; end is `now` itself. */
export function windowRange(
  window: WindowName,
  now: number,
  settings: TimeSettings,
): { start: number; end: number } {
  const rolling = ROLLING_MINUTES[window]

  if (rolling !== undefined) return { start: now - rolling * MINUTE_MS, end: now }
  if (window === 'interval') return { start: intervalStartOf(now, settings), end: now }
  return { start: dayStartOf(now, settings), end: now }
}

/** Formats a window for people: "since 00:00 Asia/Shanghai", "last 15 min". */
export function describeWindow(window: WindowName, start: number, settings: TimeSettings) {
  const rolling = ROLLING_MINUTES[window]
  if (rolling !== undefined) return `last ${rolling} min`

  const day = lastDays.get(settings)
  if (day?.start === start && day.label !== undefined) return day.label

  const local = DateTime.fromMillis(start, { zone: settings.tz }).toFormat('HH:mm')
  const label = `since ${local} ${settings.tz}`
  if (day?.start === start) day.label = label
  return label
}

function atMinuteOfDay(local: DateTime, minutes: number): DateTime {
  return local.startOf('day').plus({ minutes })
}

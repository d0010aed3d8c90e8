/**
 * Pure formatters for the figures on the wall. Every one of them turns "no value"
 * (null, undefined, NaN) into the same dash, so a zero denominator never reads as 0 %.
 */
import { LOCALE } from './lang.ts'

export const NO_VALUE = '—'

/** Keeps a number and its unit on one line without the width of a full space. */
const UNIT_SPACE = '\u202f'

// The screen's locale (`?lang=`); both write "1,204" and "14:03:27", but Intl decides.
const counts = new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 0 })

function isMissing(value: number | null | undefined): value is null | undefined {
  return value === null || value === undefined || Number.isNaN(value)
}

/**
 * A 0–1 fraction as a whole percent, rounded down, or null.
 *
 * Rounded down so that the number shown never contradicts its colour: 79.6 % against
 * an 80 % target is below target, and reads 79, not 80. The epsilon undoes float
 * noise such as 0.29 * 100 = 28.999999999999996.
 */
export function wholePercent(fraction: number | null | undefined): number | null {
  if (isMissing(fraction)) return null
  return Math.floor(fraction * 100 + 1e-9)
}

/** "79 %" (rounded down, see wholePercent) or the dash. */
export function formatWholePercent(fraction: number | null | undefined): string {
  const percent = wholePercent(fraction)
  return percent === null ? NO_VALUE : `${percent}${UNIT_SPACE}%`
}

/** A 0–1 fraction with one decimal, "4.2 %", for rates where tenths matter. */
export function formatRate(fraction: number | null | undefined): string {
  if (isMissing(fraction)) return NO_VALUE
  return `${(fraction * 100).toFixed(1)}${UNIT_SPACE}%`
}

/** The words for time units, from the screen's language table; English by default. */
export interface TimeUnits {
  unitSecond: string
  unitMinute: string
  unitHour: string
}

const ENGLISH_UNITS: TimeUnits = { unitSecond: 's', unitMinute: 'min', unitHour: 'h' }

/** Whole seconds, "18 s" (or "18 秒"). */
export function formatSeconds(
  seconds: number | null | undefined,
  units: TimeUnits = ENGLISH_UNITS,
): string {
  if (isMissing(seconds)) return NO_VALUE
  return `${Math.round(seconds)}${UNIT_SPACE}${units.unitSecond}`
}

/** A duration as m:ss, or h:mm:ss from an hour on; seconds are truncated, as clocks do. */
export function formatDuration(seconds: number | null | undefined): string {
  if (isMissing(seconds)) return NO_VALUE

  const whole = Math.max(0, Math.floor(seconds))
  const hours = Math.floor(whole / 3600)
  const minutes = Math.floor((whole % 3600) / 60)
  const secs = String(whole % 60).padStart(2, '0')

  if (hours === 0) return `${minutes}:${secs}`
  return `${hours}:${String(minutes).padStart(2, '0')}:${secs}`
}

/** A count with thousands separators, "1,204". */
export function formatCount(value: number | null | undefined): string {
  return isMissing(value) ? NO_VALUE : counts.format(value)
}

/** How long ago something happened, coarse enough to read at a glance: "4 s", "3 min". */
export function formatAge(ms: number, units: TimeUnits = ENGLISH_UNITS): string {
  const seconds = Math.max(0, Math.floor(ms / 1000))

  if (seconds < 60) return `${seconds}${UNIT_SPACE}${units.unitSecond}`
  if (seconds < 3600) return `${Math.floor(seconds / 60)}${UNIT_SPACE}${units.unitMinute}`
  return `${Math.floor(seconds / 3600)}${UNIT_SPACE}${units.unitHour}`
}

/** Wall-clock time in the site's zone, "14:03:27"; the browser's zone when tz is unknown. */
export function formatClock(epochMs: number, tz?: string): string {
  return clockFormat(tz).format(epochMs)
}

const clockFormats = new Map<string, Intl.DateTimeFormat>()

// Building a DateTimeFormat costs far more than using one, and the clock ticks every second.
function clockFormat(tz: string | undefined): Intl.DateTimeFormat {
  const key = tz ?? ''
  let format = clockFormats.get(key)

  if (format === undefined) {
    format = makeClockFormat(tz)
    clockFormats.set(key, format)
  }
  return format
}

function makeClockFormat(tz: string | undefined): Intl.DateTimeFormat {
  const options: Intl.DateTimeFormatOptions = {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }

  try {
    return new Intl.DateTimeFormat(LOCALE, { ...options, timeZone: tz })
  } catch {
    // An unknown zone name from a misconfigured server should not blank the clock.
    return new Intl.DateTimeFormat(LOCALE, options)
  }
}

/**
 * Numbers, percentages, dates and times in a given locale, through Intl, for the screens
 * that follow `?lang=`. No value (null, NaN) is the same dash as on the wall.
 */
import { NO_VALUE } from './format.ts'

const cache = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>()

// Building a formatter costs far more than using one, and tables re-render every second.
function cached<T extends Intl.NumberFormat | Intl.DateTimeFormat>(key: string, make: () => T): T {
  let format = cache.get(key) as T | undefined
  if (format === undefined) {
    format = make()
    cache.set(key, format)
  }
  return format
}

function missing(value: number | null | undefined): value is null | undefined {
  return value === null || value === undefined || Number.isNaN(value)
}

/** A count or measure, "1,204" or "18.3". */
export function formatNumber(value: number | null | undefined, locale: string, digits = 0) {
  if (missing(value)) return NO_VALUE
  const key = `n|${locale}|${digits}`
  const format = cached(key, () => new Intl.NumberFormat(locale, { maximumFractionDigits: digits }))
  return format.format(value)
}

/**
 * A 0–1 fraction as a percent, "82%" or "82.5%". Rounded down by default, as the wall shows
 * a figure judged against a target (79.6 % never reads 80 %); `nearest` for the others,
 * such as the abandon rate, which the wall and the CSV round.
 */
export function formatPercent(
  fraction: number | null | undefined,
  locale: string,
  digits = 0,
  rounding: 'down' | 'nearest' = 'down',
) {
  if (missing(fraction)) return NO_VALUE
  const scale = 10 ** digits
  const round = rounding === 'down' ? Math.floor : Math.round
  const floored = round(fraction * 100 * scale + 1e-9) / scale / 100
  const key = `p|${locale}|${digits}`
  const format = cached(
    key,
    () => new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: digits }),
  )
  return format.format(floored)
}

/** Local time of day in a zone, "14:05", or with seconds. */
export function formatTime(epochMs: number, tz: string, locale: string, seconds = false) {
  const key = `t|${locale}|${tz}|${seconds}`
  const format = cached(key, () => {
    const options: Intl.DateTimeFormatOptions = {
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      ...(seconds ? { second: '2-digit' } : {}),
    }
    try {
      return new Intl.DateTimeFormat(locale, { ...options, timeZone: tz })
    } catch {
      // A misconfigured zone should not blank the page: the browser's zone then.
      return new Intl.DateTimeFormat(locale, options)
    }
  })
  return format.format(epochMs)
}

/** The day in a zone, long form: "Thursday, 3 December 2026", "2026年12月3日星期四". */
export function formatDate(epochMs: number, tz: string, locale: string) {
  const key = `d|${locale}|${tz}`
  const format = cached(key, () => {
    const options: Intl.DateTimeFormatOptions = { dateStyle: 'full' }
    try {
      return new Intl.DateTimeFormat(locale, { ...options, timeZone: tz })
    } catch {
      return new Intl.DateTimeFormat(locale, options)
    }
  })
  return format.format(epochMs)
}

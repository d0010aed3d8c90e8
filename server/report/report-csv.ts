/**
 * The daily interval report as CSV, the file supervisors send upward: one row per interval
 * and queue, the intervals' total under "All queues", and the whole day's rows last. Each
 * row names the formula, T and S its percentages were judged by, with the service level's
 * numerator and denominator, so the file explains itself (issue 5).
 */
import { stringify } from 'csv-stringify/sync'
import type { Figures } from '../../shared/figures.ts'
import type { IntervalsToday } from '../../shared/intervals.ts'

export const ALL_QUEUES = 'All queues'
export const DAY_ROW = 'day'

const COLUMNS = [
  'date',
  'interval',
  'queue',
  'offered',
  'answered',
  'answered_within_t',
  'abandoned',
  'exited',
  'handled',
  'service_level_pct',
  'answer_rate_pct',
  'abandon_rate_pct',
  'asa_s',
  'aht_s',
  // Appended, not slotted in by meaning: readers that take columns by position keep working.
  'formula',
  'threshold_s',
  'short_abandon_s',
  'abandoned_short',
  'sl_numerator',
  'sl_denominator',
]

export function reportCsv(report: IntervalsToday): string {
  const { day } = report
  const rows: (string | number)[][] = []
  const names = Object.keys(day.queues).sort()

  for (const interval of report.intervals) {
    for (const name of names) {
      const figures = interval.queues[name]
      if (figures !== undefined) rows.push(row(report.date, interval.start, name, figures))
    }
    rows.push(row(report.date, interval.start, ALL_QUEUES, interval.total))
  }
  for (const name of names) rows.push(row(report.date, DAY_ROW, name, day.queues[name]!))
  rows.push(row(report.date, DAY_ROW, ALL_QUEUES, day.total))

  // A byte-order mark, so that Excel (which managers open it in) reads Chinese queue names.
  return '\ufeff' + stringify(rows, { header: true, columns: COLUMNS })
}

function row(date: string, interval: string, queue: string, f: Figures): (string | number)[] {
  return [
    date,
    interval,
    queue,
    f.offered,
    f.answered,
    f.answeredWithinThreshold,
    f.abandoned,
    f.exited,
    f.handled,
    percent(f.serviceLevel),
    percent(f.answerRate),
    percent(f.abandonRate),
    tenths(f.asa),
    tenths(f.aht),
    f.variant ?? '',
    f.threshold ?? '',
    f.shortAbandon ?? '',
    f.abandonedShort,
    f.serviceLevelMet,
    f.serviceLevelOffered,
  ]
}

// An empty cell, not 0, for a figure with no value: a zero denominator is not 0 %.
function percent(fraction: number | null): string {
  return fraction === null ? '' : (Math.round(fraction * 10_000) / 100).toString()
}

function tenths(seconds: number | null): string {
  return seconds === null ? '' : (Math.round(seconds * 10) / 10).toString()
}

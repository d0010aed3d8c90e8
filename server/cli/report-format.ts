/**
 * Renders a report as the plain-text table a supervisor reads in a terminal.
 */
import type { Figures } from '../../shared/figures.ts'
import type { Report } from '../engine/report.ts'

const COLUMNS = ['offered', 'answered', 'abandoned', 'exited', 'SL', 'ASA s', 'aband.', 'AHT s']

export function formatReport(report: Report): string {
  const out: string[] = []
  const header = `SL = answered within ${report.threshold} s ÷ offered; times in ${report.tz}`

  for (const day of report.days) {
    out.push(`\n${day.date}  (${header})`, row('interval', COLUMNS))

    for (const interval of day.intervals) {
      if (isEmpty(interval.total)) continue
      out.push(row(interval.start, cells(interval.total)))
    }
    out.push(row('day', cells(day.total)), '')

    for (const [queue, figures] of Object.entries(day.queues)) {
      if (!isEmpty(figures)) out.push(row(queue, cells(figures)))
    }
  }
  return `${out.join('\n')}\n`
}

function cells(f: Figures): string[] {
  return [
    String(f.offered),
    String(f.answered),
    String(f.abandoned),
    String(f.exited),
    percent(f.serviceLevel),
    f.asa === null ? '—' : f.asa.toFixed(1),
    percent(f.abandonRate),
    f.aht === null ? '—' : f.aht.toFixed(1),
  ]
}

function percent(value: number | null): string {
  return value === null ? '—' : `${(value * 100).toFixed(1)}%`
}

function isEmpty(f: Figures): boolean {
  return f.offered + f.answered + f.abandoned + f.exited + f.handled === 0
}

function row(label: string, values: string[]): string {
  return [label.padEnd(14), ...values.map((value) => value.padStart(9))].join(' ')
}

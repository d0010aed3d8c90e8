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
  const padding = ' '.repeat(Math.max(0, 14 - displayWidth(label)))
  return [label + padding, ...values.map((value) => value.padStart(9))].join(' ')
}

// Chinese queue names take two terminal columns a character; padEnd counts one.
const WIDE =
  /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u

function displayWidth(text: string): number {
  let width = 0
  for (const char of text) width += WIDE.test(char) ? 2 : 1
  return width
}

/**
 * The Asterisk ingest endpoint takes either the queue_log file as written or a CSV export of
 * the queue_log table; this picks the reader.
 */
import { parse } from 'csv-parse/sync'
import type { CanonicalEvent } from '../../shared/events.ts'
import { parseQueueLogCsv } from './queue-log-csv.ts'
import { parseQueueLog } from './queue-log.ts'

/** Reads the body as CSV when it says so or starts with an export header, else as queue_log. */
export function parseAsteriskBody(text: string, contentType?: string): CanonicalEvent[] {
  return isCsv(text, contentType) ? parseQueueLogCsv(text) : parseQueueLog(text)
}

function isCsv(text: string, contentType: string | undefined): boolean {
  if (mediaType(contentType) === 'text/csv') return true

  const columns = headerColumns(text)
  return columns.includes('date_time') && columns.includes('event')
}

/** `text/csv; charset=utf-8` → `text/csv`. */
function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? ''
}

/** The fields of the first non-blank line read as CSV; none when it is not CSV at all. */
function headerColumns(text: string): string[] {
  // \S skips a byte-order mark too: JavaScript counts U+FEFF as white space.
  const firstLine = /\S.*/.exec(text)?.[0] ?? ''

  try {
    const [fields] = parse(firstLine, { relax_column_count: true, trim: true })
    return fields ?? []
  } catch {
    // A queue_log line with a stray quote is not a CSV header, which is all we ask here.
    return []
  }
}

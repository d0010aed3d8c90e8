/**
 * Reads a CSV export of the queue_log table in the shape Bicom PBXware writes it:
 * `uid,date_time,callid,queue_name,type,event,param1,param2,param3,entpos,expos,htime,ttime,time`.
 * `type` is the queue member. Unlike the plain file, the export moves the durations into
 * columns of their own: the queue wait is in `htime`, the talk time in `ttime`.
 */
import { CsvError, parse } from 'csv-parse/sync'
import type { CanonicalEvent } from '../../shared/events.ts'
import { InputError } from '../errors.ts'
import { toCanonicalEvent, type Cell, type Figure, type QueueLogEntry } from './queue-log-entry.ts'
import { describeValue } from '../zod-words.ts'

/** Where the export keeps each figure; the same column whatever the event. */
const FIGURE_COLUMNS: Record<Figure, string> = {
  // ENTERQUEUE: the caller id (param1 holds it on most call events).
  callerId: 'param1',
  // CONNECT, ABANDON, EXIT*: seconds from entering the queue.
  wait: 'htime',
  // CONNECT: seconds the member's phone rang before the answer.
  ring: 'param3',
  // COMPLETE*, *TRANSFER: seconds of conversation.
  talk: 'ttime',
}

/** Kept as `data` on other events, in this order; RINGNOANSWER's ring ms is in htime. */
const DATA_COLUMNS = ['param1', 'param2', 'param3', 'entpos', 'expos', 'htime', 'ttime']

// uid and time are not needed. time is date_time as local text, and in the PBXware sample
// it runs a second ahead on about half the rows, so date_time is the one to trust.
const REQUIRED_COLUMNS = ['date_time', 'callid', 'queue_name', 'type', 'event', ...DATA_COLUMNS]

type Row = Record<string, string>

interface Line {
  number: number
  row: Row
}

/**
 * Maps a queue_log CSV export to canonical events, in file order. Throws an InputError for a
 * missing column (line of the header) or for the first bad row, naming the column.
 */
export function parseQueueLogCsv(text: string): CanonicalEvent[] {
  return readRows(text).map((line) => toCanonicalEvent(toEntry(line)))
}

function readRows(text: string): Line[] {
  const lines: Line[] = []

  try {
    parse(text, {
      columns: (header: string[]) => checkHeader(header, headerLine(text)),
      skip_empty_lines: true,
      record_delimiter: ['\r\n', '\n'],
      bom: true,
      // csv-parse knows the line only while it reads, so keep it with the row.
      on_record: (row: Row, { lines: number }) => {
        lines.push({ number, row })
        return null
      },
    })
  } catch (error) {
    if (!(error instanceof CsvError)) throw error

    // csv-parse puts the line it reached on the error, typed loosely.
    const line = typeof error.lines === 'number' ? error.lines : undefined
    throw new InputError(error.message, line)
  }

  return lines
}

function checkHeader(header: string[], line: number): string[] {
  const missing = REQUIRED_COLUMNS.find((column) => !header.includes(column))
  if (missing !== undefined) {
    const seen = describeValue(header.join(','))
    const message = `expected a column "${missing}" in the header, got ${seen}`
    throw new InputError(message, line, missing)
  }

  return header
}

/** Blank lines before the header are skipped, so it is not always line 1. */
function headerLine(text: string): number {
  const start = text.search(/\S/)

  return start < 0 ? 1 : text.slice(0, start).split('\n').length
}

function toEntry({ number, row }: Line): QueueLogEntry {
  const cell = (column: string): Cell => ({ value: row[column] ?? '', field: column })

  return {
    line: number,
    epoch: cell('date_time'),
    callId: cell('callid'),
    queue: cell('queue_name'),
    agent: cell('type'),
    event: cell('event'),
    data: DATA_COLUMNS.map((column) => row[column] ?? ''),
    figure: (name) => cell(FIGURE_COLUMNS[name]),
  }
}

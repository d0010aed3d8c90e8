/**
 * Reads Asterisk's queue_log file, one entry a line: `epoch|uniqueid|queue|agent|EVENT|data…`.
 * Event parameters: https://docs.asterisk.org/Operation/Logging/Queue-Logs/
 */
import type { CanonicalEvent } from '../../shared/events.ts'
import { InputError } from '../errors.ts'
import {
  isCallEvent,
  toCanonicalEvent,
  type CallEventName,
  type Cell,
  type Figure,
  type QueueLogEntry,
} from './queue-log-entry.ts'

/** The fields before the event's own data, named as the Asterisk documentation does. */
const HEAD_FIELDS = ['epoch', 'uniqueid', 'queue', 'agent', 'event'] as const

type Position = readonly [index: number, field: string]

const BYTE_ORDER_MARK = 0xfeff

/** Where each call event keeps its figures among its data fields. */
const FIGURE_POSITIONS: Record<CallEventName, Partial<Record<Figure, Position>>> = {
  ENTERQUEUE: { callerId: [1, 'callerid'] },
  CONNECT: { wait: [0, 'holdtime'], ring: [2, 'ringtime'] },
  ABANDON: { wait: [2, 'waittime'] },
  EXITWITHTIMEOUT: { wait: [2, 'waittime'] },
  EXITWITHKEY: { wait: [3, 'waittime'] },
  EXITEMPTY: { wait: [2, 'waittime'] },
  COMPLETECALLER: { talk: [1, 'calltime'] },
  COMPLETEAGENT: { talk: [1, 'calltime'] },
  TRANSFER: { talk: [3, 'calltime'] },
  BLINDTRANSFER: { talk: [3, 'calltime'] },
  ATTENDEDTRANSFER: { talk: [3, 'calltime'] },
}

interface Line {
  number: number
  fields: string[]
}

/**
 * Maps queue_log text to canonical events, in file order. Blank lines are skipped. Throws an
 * InputError for the first bad line, so a body is taken whole or not at all.
 */
export function parseQueueLog(text: string): CanonicalEvent[] {
  return readLines(text).map((line) => toCanonicalEvent(toEntry(line)))
}

/**
 * Splits the body into lines of `|`-separated fields. queue_log has no quoting (caller ids
 * such as "Smith" <5551234> carry quotes that are data), so a plain split reads it as
 * Asterisk wrote it, several times faster than a CSV parser. Lines end in \n or \r\n.
 */
function readLines(text: string): Line[] {
  const body = text.charCodeAt(0) === BYTE_ORDER_MARK ? text.slice(1) : text
  const lines: Line[] = []
  let number = 0

  for (const raw of body.split('\n')) {
    number += 1
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw
    if (line.trim() !== '') lines.push({ number, fields: line.split('|') })
  }
  return lines
}

function toEntry({ number, fields }: Line): QueueLogEntry {
  const missing = HEAD_FIELDS[fields.length]
  if (missing !== undefined) {
    const message =
      `expected at least ${HEAD_FIELDS.length} fields (epoch|uniqueid|queue|agent|EVENT), ` +
      `got ${fields.length}`
    throw new InputError(message, number, missing)
  }

  return new PipeEntry(number, fields)
}

/**
 * One line of the file. A class rather than an object of closures: a request holds tens
 * of thousands of lines, and a closure per line and field costs more than the parsing.
 */
class PipeEntry implements QueueLogEntry {
  readonly epoch: Cell
  readonly callId: Cell
  readonly queue: Cell
  readonly agent: Cell
  readonly event: Cell
  readonly data: readonly string[]

  constructor(
    readonly line: number,
    fields: string[],
  ) {
    this.epoch = headCell(fields, 0)
    this.callId = headCell(fields, 1)
    this.queue = headCell(fields, 2)
    this.agent = headCell(fields, 3)
    this.event = headCell(fields, 4)
    this.data = fields.slice(HEAD_FIELDS.length)
  }

  figure(name: Figure): Cell {
    const position = figurePosition(this.event.value, name)
    if (position === undefined) return { value: '', field: name }

    const [index, field] = position
    return { value: this.data[index] ?? '', field }
  }
}

function headCell(fields: string[], index: 0 | 1 | 2 | 3 | 4): Cell {
  return { value: fields[index] ?? '', field: HEAD_FIELDS[index] }
}

function figurePosition(event: string, figure: Figure): Position | undefined {
  return isCallEvent(event) ? FIGURE_POSITIONS[event][figure] : undefined
}

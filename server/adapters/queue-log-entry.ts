/**
 * What the two queue_log readers share. The pipe-separated file and a CSV export of the
 * queue_log table keep the same entries in different places; each reader says where a value
 * sits, and the checks and the mapping to canonical events happen here, once.
 */
import type { CanonicalEvent, CanonicalEventInput } from '../../shared/events.ts'
import { InputError } from '../errors.ts'
import { describeValue } from '../zod-words.ts'
import { validateEvent } from './validate-event.ts'

/** A raw value with the name the sender knows its field by, so an error can point at it. */
export interface Cell {
  readonly value: string
  readonly field: string
}

/** The values of a call event that each source keeps in a different place. */
export type Figure = 'callerId' | 'wait' | 'ring' | 'talk'

/** One queue_log entry as read, nothing checked yet. */
export interface QueueLogEntry {
  /** 1-based line of the body. */
  readonly line: number
  readonly epoch: Cell
  readonly callId: Cell
  readonly queue: Cell
  readonly agent: Cell
  readonly event: Cell
  /** The event's own values, kept verbatim on events that no figure uses yet. */
  readonly data: readonly string[]
  /** Where this source keeps a figure of this entry's event; value '' when absent. */
  figure(name: Figure): Cell
}

/** Reads the checked values of a call event; each read throws an InputError when bad. */
interface CallReader {
  readonly common: { ts: number; queue: string; callId: string }
  agent(): string
  ms(figure: 'wait' | 'talk'): number
  optionalMs(figure: 'ring'): number | undefined
  optionalText(figure: 'callerId'): string | undefined
}

type CallBuilder = (read: CallReader) => CanonicalEventInput

const exitCall =
  (reason: 'timeout' | 'key' | 'empty'): CallBuilder =>
  (read) => ({ ...read.common, type: 'call.exit', reason, waitMs: read.ms('wait') })

// queue_log's "holdtime" on these events is the queue wait, not time on hold, and it
// records no wrap-up: both are 0 rather than a misread figure.
const endCall =
  (reason: 'caller' | 'agent' | 'transfer'): CallBuilder =>
  (read) => ({
    ...read.common,
    type: 'call.end',
    reason,
    agent: read.agent(),
    talkMs: read.ms('talk'),
    holdMs: 0,
    wrapMs: 0,
  })

/** The events that make up a queued call. Every other well-formed event becomes `other`. */
const CALL_EVENTS = {
  ENTERQUEUE: (read) => ({
    ...read.common,
    type: 'call.enter',
    callerId: read.optionalText('callerId'),
  }),
  CONNECT: (read) => ({
    ...read.common,
    type: 'call.answer',
    agent: read.agent(),
    waitMs: read.ms('wait'),
    ringMs: read.optionalMs('ring'),
  }),
  ABANDON: (read) => ({ ...read.common, type: 'call.abandon', waitMs: read.ms('wait') }),
  EXITWITHTIMEOUT: exitCall('timeout'),
  EXITWITHKEY: exitCall('key'),
  EXITEMPTY: exitCall('empty'),
  COMPLETECALLER: endCall('caller'),
  COMPLETEAGENT: endCall('agent'),
  TRANSFER: endCall('transfer'),
  BLINDTRANSFER: endCall('transfer'),
  ATTENDEDTRANSFER: endCall('transfer'),
} satisfies Record<string, CallBuilder>

export type CallEventName = keyof typeof CALL_EVENTS

const EVENT_NAME = /^[A-Z][A-Z0-9_]*$/
const EPOCH_SECONDS = /^\d+(\.\d+)?$/
const WHOLE_SECONDS = /^\d+$/

export function isCallEvent(name: string): name is CallEventName {
  return Object.hasOwn(CALL_EVENTS, name)
}

/** Checks one entry and maps it; throws an InputError naming its line and field. */
export function toCanonicalEvent(entry: QueueLogEntry): CanonicalEvent {
  const ts = readEpochMs(entry)
  const name = readEventName(entry)

  const draft = isCallEvent(name)
    ? CALL_EVENTS[name](callReader(entry, ts))
    : otherEvent(entry, ts, name)

  return validateEvent(withoutUndefined(draft), { line: entry.line })
}

function otherEvent(entry: QueueLogEntry, ts: number, name: string): CanonicalEventInput {
  return {
    type: 'other',
    ts,
    name,
    queue: presentOrUndefined(entry.queue.value),
    callId: presentOrUndefined(entry.callId.value),
    agent: presentOrUndefined(entry.agent.value),
    data: [...entry.data],
  }
}

function callReader(entry: QueueLogEntry, ts: number): CallReader {
  return new EntryReader(entry, ts)
}

/** A class, so that reading an entry creates one object rather than one per reader. */
class EntryReader implements CallReader {
  readonly common: { ts: number; queue: string; callId: string }

  constructor(
    readonly entry: QueueLogEntry,
    ts: number,
  ) {
    this.common = {
      ts,
      queue: required(entry, entry.queue, 'the queue name'),
      callId: required(entry, entry.callId, "the caller channel's unique id"),
    }
  }

  agent(): string {
    return required(this.entry, this.entry.agent, 'the queue member who took the call')
  }

  ms(figure: 'wait' | 'talk'): number {
    return readSeconds(this.entry, this.entry.figure(figure)) * 1000
  }

  optionalMs(figure: 'ring'): number | undefined {
    const cell = this.entry.figure(figure)
    return cell.value === '' ? undefined : readSeconds(this.entry, cell) * 1000
  }

  optionalText(figure: 'callerId'): string | undefined {
    return this.entry.figure(figure).value || undefined
  }
}

function readEpochMs(entry: QueueLogEntry): number {
  const { value, field } = entry.epoch
  if (!EPOCH_SECONDS.test(value)) {
    throw new InputError(`expected a Unix time in seconds, got ${seen(value)}`, entry.line, field)
  }

  // Checked here, in the file's own unit, so that a millisecond epoch is named as one.
  const ms = Math.round(Number(value) * 1000)
  if (ms < EARLIEST_MS || ms >= LATEST_MS) {
    const hint = ms >= LATEST_MS ? ' (milliseconds where seconds belong?)' : ''
    const message = `expected a Unix time in seconds between 2000 and 2100, got ${seen(value)}`
    throw new InputError(message + hint, entry.line, field)
  }
  return ms
}

const EARLIEST_MS = Date.UTC(2000, 0, 1)
const LATEST_MS = Date.UTC(2100, 0, 1)

function readEventName(entry: QueueLogEntry): string {
  const { value, field } = entry.event
  if (!EVENT_NAME.test(value)) {
    const message = `expected an event name in capitals such as CONNECT, got ${seen(value)}`
    throw new InputError(message, entry.line, field)
  }

  return value
}

function readSeconds(entry: QueueLogEntry, { value, field }: Cell): number {
  if (!WHOLE_SECONDS.test(value)) {
    const message = `expected a whole number of seconds, got ${seen(value)}`
    throw new InputError(message, entry.line, field)
  }

  return Number(value)
}

function required(entry: QueueLogEntry, { value, field }: Cell, what: string): string {
  if (presentOrUndefined(value) === undefined) {
    throw new InputError(`expected ${what}, got ${seen(value)}`, entry.line, field)
  }

  return value
}

/** queue_log writes NONE, or nothing, where a value does not apply. */
function presentOrUndefined(value: string): string | undefined {
  const trimmed = value.trim()

  return trimmed === '' || trimmed === 'NONE' ? undefined : value
}

function seen(value: string): string {
  return value === '' ? 'nothing' : describeValue(value)
}

/** Drops absent optional fields, so events carry no `key: undefined` into JSON or tests. */
function withoutUndefined<T extends object>(draft: T): T {
  const fields = draft as Record<string, unknown>
  for (const key in fields) {
    if (fields[key] === undefined) delete fields[key]
  }

  return draft
}

/**
 * Reads a stretch of the event stream again, in pages, for answers that replay it (the
 * calls behind a figure). Only one queue's call events are parsed: the others are passed
 * over on a plain text test of their JSON, so a busy day costs little more than its
 * transfer.
 */
import type { Redis } from 'ioredis'
import type {
  CallAbandon,
  CallAnswer,
  CallEnd,
  CallEnter,
  CallExit,
  CanonicalEvent,
} from '../../shared/events.ts'
import { parseEntry } from './stream-reader.ts'

export type CallEvent = CallEnter | CallAnswer | CallAbandon | CallExit | CallEnd

/** Entries per XRANGE: large enough to keep round trips few, small enough to stay cheap. */
const PAGE = 5000

export async function* queueCallEvents(
  redis: Redis,
  stream: string,
  fromId: string,
  toId: string,
  queue: string,
): AsyncGenerator<CallEvent> {
  // The stored JSON is JSON.stringify's, so the queue appears exactly as stringify writes it.
  const needle = `"queue":${JSON.stringify(queue)}`
  let from = fromId

  for (;;) {
    const page = await redis.xrange(stream, from, toId, 'COUNT', PAGE)
    for (const [, fields] of page) {
      const json = fields[fields.indexOf('e') + 1]
      if (json === undefined || !json.includes(needle)) continue

      const event = parseEntry(fields)
      if (isCallEvent(event) && event.queue === queue) yield event
    }

    const last = page.at(-1)?.[0]
    if (page.length < PAGE || last === undefined) return
    from = `(${last}`
  }
}

function isCallEvent(event: CanonicalEvent | null): event is CallEvent {
  return event !== null && event.type.startsWith('call.')
}

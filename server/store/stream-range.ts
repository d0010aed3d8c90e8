/**
 * Reads a stretch of the event stream again, in pages, for answers that replay it (the
 * calls behind a figure). Only one queue's entries leave Redis: the others are passed over
 * there, on a plain text test of their JSON.
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

/** Entries per page: each page is one short Lua call, so Redis is never held for long. */
const PAGE = 5000

/**
 * One page of XRANGE, filtered inside Redis by a plain substring of the event's JSON, so
 * only the queue's own entries cross the wire and are parsed here. Returns the last id
 * looked at, how many were, and the matching entries.
 */
const FILTERED_PAGE = `
local page = redis.call('XRANGE', KEYS[1], ARGV[1], ARGV[2], 'COUNT', tonumber(ARGV[3]))
local out = {}
local last = ''
for _, entry in ipairs(page) do
  last = entry[1]
  local fields = entry[2]
  for i = 1, #fields, 2 do
    if fields[i] == 'e' and string.find(fields[i + 1], ARGV[4], 1, true) then
      out[#out + 1] = entry
      break
    end
  end
end
return {last, #page, out}
`

type FilteredPage = [last: string, looked: number, entries: [id: string, fields: string[]][]]

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
    const args = [from, toId, String(PAGE), needle]
    const [last, looked, entries] = (await redis.eval(
      FILTERED_PAGE,
      1,
      stream,
      ...args,
    )) as FilteredPage
    for (const [, fields] of entries) {
      const event = parseEntry(fields)
      if (isCallEvent(event) && event.queue === queue) yield event
    }

    if (looked < PAGE || last === '') return
    from = `(${last}`
  }
}

function isCallEvent(event: CanonicalEvent | null): event is CallEvent {
  return event !== null && event.type.startsWith('call.')
}

/**
 * Reads a stretch of the event stream again, in pages, for answers that replay it (the
 * calls behind a figure). Only one queue's entries (and the control events asked for)
 * leave Redis: the others are passed over there, on a plain text test of their JSON.
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
import { parseEntry, type StreamEntry } from './stream-reader.ts'

export type CallEvent = CallEnter | CallAnswer | CallAbandon | CallExit | CallEnd

/** Entries per page: each page is one short Lua call, so Redis is never held for long. */
const PAGE = 5000

/**
 * One page of XRANGE, filtered inside Redis by plain substrings of the event's JSON (any
 * of ARGV[4..]), so only the entries wanted cross the wire and are parsed here. Returns
 * the last id looked at, how many were, and the matching entries.
 */
const FILTERED_PAGE = `
local page = redis.call('XRANGE', KEYS[1], ARGV[1], ARGV[2], 'COUNT', tonumber(ARGV[3]))
local out = {}
local last = ''
for _, entry in ipairs(page) do
  last = entry[1]
  local fields = entry[2]
  for i = 1, #fields, 2 do
    if fields[i] == 'e' then
      for n = 4, #ARGV do
        if string.find(fields[i + 1], ARGV[n], 1, true) then
          out[#out + 1] = entry
          break
        end
      end
      break
    end
  end
end
return {last, #page, out}
`

type FilteredPage = [last: string, looked: number, entries: [id: string, fields: string[]][]]

/**
 * The entries of `queue`'s call events, and the control events named `controls` (which
 * change how the replay counts, such as the settings), after `fromId` up to `toId`
 * (inclusive), in stream order.
 */
export async function* queueCallEntries(
  redis: Redis,
  stream: string,
  range: { fromId: string; toId: string },
  queue: string,
  controls: readonly string[] = [],
): AsyncGenerator<StreamEntry> {
  // The stored JSON is JSON.stringify's (the control events' a script's of the same form),
  // so the queue and the names appear exactly as stringify writes them.
  const needles = [
    `"queue":${JSON.stringify(queue)}`,
    ...controls.map((name) => `"name":${JSON.stringify(name)}`),
  ]
  let from = range.fromId

  for (;;) {
    const args = [from, range.toId, String(PAGE), ...needles]
    const [last, looked, entries] = (await redis.eval(
      FILTERED_PAGE,
      1,
      stream,
      ...args,
    )) as FilteredPage
    for (const [id, fields] of entries) {
      const event = parseEntry(fields)
      if (event === null) continue
      const wanted =
        event.type === 'other' ? controls.includes(event.name) : isQueueCall(event, queue)
      if (wanted) yield { id, event }
    }

    if (looked < PAGE || last === '') return
    from = `(${last}`
  }
}

function isQueueCall(event: CanonicalEvent, queue: string): event is CallEvent {
  return event.type.startsWith('call.') && (event as CallEvent).queue === queue
}

/**
 * The call events of the queues `wants` picks, and the control events named `controls`,
 * after `fromId` up to `toId` (inclusive), in stream order. Every entry crosses the wire:
 * the queues are not known by name beforehand (a partition taken over, say).
 */
export async function* callEntriesWhere(
  redis: Redis,
  stream: string,
  range: { fromId: string; toId: string },
  wants: (queue: string) => boolean,
  controls: readonly string[] = [],
): AsyncGenerator<StreamEntry> {
  let from = range.fromId

  for (;;) {
    const page = await redis.xrange(stream, from, range.toId, 'COUNT', PAGE)
    for (const [id, fields] of page) {
      const event = parseEntry(fields)
      if (event === null) continue
      if (event.type === 'other') {
        if (controls.includes(event.name)) yield { id, event }
      } else if (event.type.startsWith('call.') && wants((event as CallEvent).queue)) {
        yield { id, event }
      }
    }

    const last = page.at(-1)?.[0]
    if (page.length < PAGE || last === undefined) return
    from = `(${last}`
  }
}

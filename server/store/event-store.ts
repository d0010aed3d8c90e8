/**
 * Appends canonical events to the Redis stream, exactly once each. A Lua script checks
 * every event id against the day's seen-set and XADDs the new ones in one atomic step, so
 * a request is stored whole or not at all, and a tailer that re-sends lines changes
 * nothing.
 */
import { hash } from 'node:crypto'
import type { Redis } from 'ioredis'
import type { CanonicalEvent } from '../../shared/events.ts'
import { StoreUnavailableError } from '../errors.ts'
import type { Keys } from './keys.ts'
import { queueCallEntries } from './stream-range.ts'
import type { StreamEntry } from './stream-reader.ts'

const DAY_MS = 86_400_000

/**
 * The version of the form entries are stored in, written beside each as field `v`. Such an
 * entry was validated whole at ingest and stored as zod gave it back, so readers take it as
 * it is (checking it again was two thirds of a rebuild's reading). Raise it with any change
 * of the canonical events that entries already stored would not pass.
 */
export const STORED_FORM = '1'

export interface AppendResult {
  accepted: number
  duplicates: number
  /** Stream id of the last entry written by this call, or null when all were duplicates. */
  lastId: string | null
}

// KEYS[1] stream, KEYS[2..] seen-sets. ARGV[1] seen-set TTL (s), ARGV[2] MINID for trimming
// ('' = none), then per event: index into KEYS of its seen-set, its id, its JSON.
const APPEND_SCRIPT = `
local accepted, duplicates, last = 0, 0, false
for i = 3, #ARGV, 3 do
  if redis.call('SADD', KEYS[tonumber(ARGV[i])], ARGV[i + 1]) == 1 then
    last = redis.call('XADD', KEYS[1], '*', 'e', ARGV[i + 2], 'v', '${STORED_FORM}')
    accepted = accepted + 1
  else
    duplicates = duplicates + 1
  end
end
for k = 2, #KEYS do redis.call('EXPIRE', KEYS[k], ARGV[1]) end
if ARGV[2] ~= '' then redis.call('XTRIM', KEYS[1], 'MINID', '~', ARGV[2]) end
return { accepted, duplicates, last }
`

export interface EventStoreOptions {
  /** How long events stay in the stream and their ids in the seen-sets. */
  retentionHours: number
}

export class EventStore {
  readonly #redis: Redis
  readonly #keys: Keys
  readonly #retentionMs: number

  constructor(redis: Redis, keys: Keys, options: EventStoreOptions) {
    this.#redis = redis
    this.#keys = keys
    this.#retentionMs = options.retentionHours * 3600 * 1000
    redis.defineCommand('callboardAppend', { lua: APPEND_SCRIPT })
  }

  /**
   * The call events of `queue` stored after `fromId` up to `toId` (inclusive), and the
   * control events named `controls` among them, in order.
   */
  callEntries(
    range: { fromId: string; toId: string },
    queue: string,
    controls: readonly string[] = [],
  ): AsyncGenerator<StreamEntry> {
    return queueCallEntries(this.#redis, this.#keys.events, range, queue, controls)
  }

  async append(events: readonly CanonicalEvent[], now = Date.now()): Promise<AppendResult> {
    if (events.length === 0) return { accepted: 0, duplicates: 0, lastId: null }

    const seenKeys: string[] = []
    const keyIndex = new Map<number, number>()
    const perEvent: string[] = []

    for (const event of events) {
      const { id, json } = storedForm(event)
      // Events of a request fall on a day or two: name each day's key once, not per event.
      const day = Math.floor(event.ts / DAY_MS)
      let index = keyIndex.get(day)

      if (index === undefined) {
        seenKeys.push(this.#keys.seen(new Date(day * DAY_MS).toISOString().slice(0, 10)))
        index = seenKeys.length + 1
        keyIndex.set(day, index)
      }
      perEvent.push(String(index), id, json)
    }

    // Seen-sets outlive the stream by a day, so a late re-send of a trimmed day is dropped.
    const ttlSeconds = Math.ceil(this.#retentionMs / 1000) + 86_400
    const minId = `${now - this.#retentionMs}-0`
    const keys = [this.#keys.events, ...seenKeys]
    const args = [String(ttlSeconds), minId, ...perEvent]

    try {
      // One array argument: spreading a 100,000-event request would overflow the call stack.
      const reply = await (this.#redis as RedisWithAppend).callboardAppend([
        String(keys.length),
        ...keys,
        ...args,
      ])
      const [accepted, duplicates, last] = reply as [number, number, string | null]
      return { accepted, duplicates, lastId: last || null }
    } catch (error) {
      if (isConnectionError(error)) throw new StoreUnavailableError('Redis is unavailable')
      throw error
    }
  }
}

type RedisWithAppend = Redis & {
  callboardAppend(args: string[]): Promise<unknown>
}

/** A stable id from the event's content: the same event from a re-sent line gets the same id. */
export function eventId(event: CanonicalEvent): string {
  return idOf(contentJson(event))
}

/**
 * The event's id and the JSON the stream keeps. Without an id of its own, the JSON the id
 * is hashed from is reused with the id put first, rather than serialising the event twice.
 */
export function storedForm(event: CanonicalEvent): { id: string; json: string } {
  if (event.id !== undefined) return { id: event.id, json: JSON.stringify(event) }

  const content = contentJson(event)
  const id = idOf(content)
  return { id, json: `{"id":${JSON.stringify(id)},${content.slice(1)}` }
}

/** The event without its id, keys sorted: the same event built by two adapters hashes the same. */
function contentJson(event: CanonicalEvent): string {
  const { id: _ignored, ...content } = event as Record<string, unknown>
  // Copying into a new object in sorted order gives the text a key-list replacer would, in
  // two thirds the time.
  const sorted: Record<string, unknown> = {}
  for (const key of Object.keys(content).sort()) sorted[key] = content[key]
  return JSON.stringify(sorted)
}

function idOf(contentJson: string): string {
  return hash('sha256', contentJson, 'base64url').slice(0, 22)
}

/** Errors that mean "Redis is not there right now", as opposed to a bug in our call. */
export function isConnectionError(error: unknown): boolean {
  if (!(error instanceof Error)) return false
  const code = (error as NodeJS.ErrnoException).code ?? ''
  return (
    ['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND'].includes(code) ||
    /Stream isn't writeable|Connection is closed|MaxRetriesPerRequest|enableOfflineQueue/.test(
      error.message,
    )
  )
}

/**
 * A command that Redis did not answer within the client's `commandTimeout` (a Redis that
 * hangs with its connection open). Unlike a refused connection the command was sent: it
 * may still run when Redis wakes, so nothing can be said of what it stored.
 */
export function isCommandTimeout(error: unknown): boolean {
  return error instanceof Error && error.message === 'Command timed out'
}

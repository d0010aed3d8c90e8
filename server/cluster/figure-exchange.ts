/**
 * How the server processes share what each counts. The owner of a queue's partition sends
 * the buckets that changed, whole, to a stream every process follows (FigureFollower); the
 * others set those buckets in their engines, so each shows the same figures, and no queue
 * is counted twice. A send names the lease it holds on each partition it sends for, and the
 * script refuses it when another process holds one of them now: a process that has lost a
 * partition (paused, or cut off from Redis) can never overwrite its new owner's figures.
 */
import type { Redis } from 'ioredis'
import { z } from 'zod'
import { COUNTER_KEYS, type Counters } from '../../shared/figures.ts'
import type { QueueCopy } from '../engine/queue-state.ts'
import type { Logger } from '../logger.ts'
import type { Keys } from '../store/keys.ts'
import { StreamReader, type StreamEntry } from '../store/stream-reader.ts'
import { mergeCopy } from './merge-copy.ts'

/** One send: the queues that changed, as counted up to the owner's `streamId`. */
export interface Publication {
  member: string
  /** The last event stream entry the owner had applied. */
  streamId: string
  /** The partitions it counts: their queues' figures are whole up to `streamId`. */
  partitions: number[]
  copies: QueueCopy[]
}

/** Sends kept in the stream: a follower more than this many behind misses some. */
const KEEP_SENDS = 20_000

/**
 * KEYS[1] leases, KEYS[2] the stream; ARGV[1] the send, then partition and lease pairs.
 * Returns the partitions whose lease is someone else's now (nothing is sent then), or {}.
 */
const SEND_SCRIPT = `
local lost = {}
for i = 2, #ARGV, 2 do
  if redis.call('HGET', KEYS[1], ARGV[i]) ~= ARGV[i + 1] then lost[#lost + 1] = ARGV[i] end
end
if #lost > 0 then return lost end
redis.call('XADD', KEYS[2], 'MAXLEN', '~', ${KEEP_SENDS}, '*', 'f', ARGV[1])
return {}
`

type RedisWithSend = Redis & {
  callboardSendFigures(keys: number, ...args: string[]): Promise<string[]>
}

export interface FigureSenderOptions {
  redis: Redis
  keys: Keys
  logger: Logger
  member: string
  partitionOf(queue: string): number
  /**
   * The partitions this process counts, and the lease it holds on each: undefined while
   * its heartbeat goes unanswered, when nothing is sent and the copies wait.
   */
  leased(): Map<number, string | undefined>
  /** What changed since the last call, and the stream entry it was counted up to. */
  take(): { streamId: string; copies: QueueCopy[] }
}

/**
 * Sends in order, one at a time: what changes while a send is on its way goes in the next.
 * Copies that could not be sent (Redis away) are kept, merged with later ones, and sent
 * when Redis answers again.
 */
export class FigureSender {
  readonly #options: FigureSenderOptions
  readonly #unsent = new Map<string, QueueCopy>()
  #sending: Promise<void> | null = null
  #again = false
  /** The stream entry the last send was counted up to. */
  #sentTo = ''
  #failing = false

  constructor(options: FigureSenderOptions) {
    this.#options = options
    options.redis.defineCommand('callboardSendFigures', { lua: SEND_SCRIPT })
  }

  /**
   * Sends what changed, now or right after the send on its way; with `always`, even when
   * nothing did, so that the others learn which partitions this process counts now.
   */
  send(always = false): void {
    if (always) this.#sentTo = ''
    if (this.#sending !== null) {
      this.#again = true
      return
    }
    this.#sending = this.#sendAll().finally(() => {
      this.#sending = null
      if (this.#again) {
        this.#again = false
        this.send()
      }
    })
  }

  /** Settles when no send is on its way (a graceful stop waits for the last). */
  async flush(): Promise<void> {
    while (this.#sending !== null) await this.#sending
  }

  async #sendAll(): Promise<void> {
    const { streamId, copies } = this.#options.take()
    for (const copy of copies) {
      const kept = this.#unsent.get(copy.queue)
      this.#unsent.set(copy.queue, kept === undefined ? copy : mergeCopy(kept, copy))
    }
    if (this.#unsent.size === 0 && streamId === this.#sentTo) return

    try {
      await this.#sendKept(streamId)
      if (this.#failing) {
        this.#options.logger.info({ event: 'figures_send_resumed', component: 'cluster' })
      }
      this.#failing = false
    } catch (error) {
      if (!this.#failing) {
        const err = error
        this.#options.logger.warn({ event: 'figures_send_failed', component: 'cluster', err })
      }
      this.#failing = true
    }
  }

  async #sendKept(streamId: string): Promise<void> {
    const { member, redis, keys, partitionOf } = this.#options
    const leases = this.#options.leased()

    for (;;) {
      for (const queue of [...this.#unsent.keys()]) {
        // Not this process's any more: its new owner sends this queue.
        if (!leases.has(partitionOf(queue))) this.#unsent.delete(queue)
      }
      if (leases.size === 0) return
      // Kept for when the leases are heard again (or dropped then, if they were lost).
      if ([...leases.values()].includes(undefined)) throw new Error('leases not heard')

      const partitions = [...leases.keys()]
      const copies = [...this.#unsent.values()]
      const send: Publication = { member, streamId, partitions, copies }
      const pairs = [...leases].flatMap(([partition, lease]) => [String(partition), lease ?? ''])
      const lost = await (redis as RedisWithSend).callboardSendFigures(
        2,
        keys.leases,
        keys.figureChanges,
        JSON.stringify(send),
        ...pairs,
      )
      if (lost.length === 0) {
        this.#unsent.clear()
        this.#sentTo = streamId
        return
      }

      // Taken over meanwhile: drop those partitions and send the rest.
      for (const partition of lost) leases.delete(Number(partition))
      const refused = lost.map(Number)
      const line = { event: 'figures_send_fenced', component: 'cluster', lost: refused }
      this.#options.logger.info(line)
    }
  }
}

const countersSchema = z.object(
  Object.fromEntries(COUNTER_KEYS.map((key) => [key, z.number()])) as Record<
    keyof Counters,
    z.ZodNumber
  >,
)
const bucketsSchema = z.array(z.tuple([z.number().int(), countersSchema]))
const publicationSchema = z.object({
  member: z.string(),
  streamId: z.string().regex(/^\d+-\d+$/),
  partitions: z.array(z.number().int()),
  copies: z.array(
    z.object({
      queue: z.string(),
      minutes: bucketsSchema,
      quarters: bucketsSchema,
      peaks: z.object({
        quarters: z.array(
          z.tuple([z.number().int(), z.object({ peak: z.number(), end: z.number() })]),
        ),
        lastIndex: z.number().int().nullable(),
        level: z.number(),
      }),
      live: z.object({ waiting: z.number(), oldestEnteredAt: z.number().nullable() }),
    }),
  ),
})

/** A send as stored; null for an entry this version cannot read. */
export function parsePublication(fields: string[]): Publication | null {
  const json = fields[fields.indexOf('f') + 1]
  if (json === undefined) return null
  return parseSend(json)
}

function parseSend(json: string): Publication | null {
  try {
    const parsed = publicationSchema.safeParse(JSON.parse(json))
    return parsed.success ? parsed.data : null
  } catch {
    return null
  }
}

/** The id of the newest send, so that a process starting follows from there. */
export async function lastSendId(redis: Redis, keys: Keys): Promise<string> {
  const newest = await redis.xrevrange(keys.figureChanges, '+', '-', 'COUNT', 1)
  return newest[0]?.[0] ?? '0-0'
}

export interface FigureFollowerOptions {
  /** A connection of its own: XREAD BLOCK holds it. */
  redis: Redis
  keys: Keys
  logger: Logger
  fromId: string
  /** This process: its own sends are passed over. */
  member: string
  /** A promise returned holds the next sends back until it settles. */
  onSends(sends: StreamEntry<Publication>[]): void | Promise<void>
}

/** What the follower makes of this process's own sends: nothing to take. */
const SKIPPED: Publication = { member: '', streamId: '0-0', partitions: [], copies: [] }

/** Follows the other processes' sends. */
export function followSends(options: FigureFollowerOptions): StreamReader<Publication> {
  const own = `{"member":${JSON.stringify(options.member)},`
  return new StreamReader<Publication>({
    redis: options.redis,
    stream: options.keys.figureChanges,
    fromId: options.fromId,
    logger: options.logger,
    component: 'cluster',
    batch: 500,
    parse: (fields) => {
      const json = fields[fields.indexOf('f') + 1]
      if (json === undefined) return null
      // This process's own sends (JSON.stringify writes `member` first) are not read again.
      if (json.startsWith(own)) return SKIPPED
      return parseSend(json)
    },
    onBatch: (entries) => options.onSends(entries.filter((entry) => entry.event !== SKIPPED)),
  })
}

/**
 * Follows the event stream in Redis and hands each entry to a callback, in stream order,
 * from a starting id. The engine is fed only from here, never from the ingest request,
 * so every server process against the same Redis computes the same figures.
 */
import type { Redis } from 'ioredis'
import { CanonicalEventSchema, type CanonicalEvent } from '../../shared/events.ts'
import type { Logger } from '../logger.ts'
import { STORED_FORM } from './event-store.ts'

export interface StreamReaderOptions<T = CanonicalEvent> {
  redis: Redis
  stream: string
  /** Read entries after this id ("0-0" for all, "<ms>-0" for everything since a time). */
  fromId: string
  logger: Logger
  /** Entries per XREAD. @default 5000 */
  batch?: number
  /**
   * Called for each read, possibly with no entries; `caughtUp` is true when the read
   * reached the end of the stream. A promise returned holds the next batch back until
   * it settles.
   */
  onBatch(entries: StreamEntry<T>[], caughtUp: boolean): void | Promise<void>
  /** Reads an entry's fields; null for one it cannot use. @default parseEntry */
  parse?: (fields: string[]) => T | null
  /** Names the reader in its log lines. @default 'engine' */
  component?: string
}

/**
 * A link whose read has had no reply for this long counts as stalled. Each read blocks
 * 1000 ms at most, so a healthy Redis answers about every second; a Redis that hangs with
 * its connection open (a stopped process, a machine that froze) answers never, and nothing
 * else would tell.
 */
export const STALL_MS = 3000
/** How often the reader looks for a stall; it logs once per stall, not per look. */
const STALL_CHECK_MS = 500

export interface StreamEntry<T = CanonicalEvent> {
  id: string
  event: T
}

export class StreamReader<T = CanonicalEvent> {
  #lastId: string
  #running = false
  #stopped: Promise<void> = Promise.resolve()
  /** When the last reply of a read came, on the monotonic clock (not the figures' clock). */
  #heardAt = Number.NEGATIVE_INFINITY
  /** Since when a stall has been logged (monotonic ms); null while Redis answers. */
  #stalledSince: number | null = null
  /** Reads have been failing: stream_read_failed said so, a stall would repeat it. */
  #failing = false
  #watchdog: NodeJS.Timeout | undefined
  /**
   * Settles when stop() is called. A read queued while ioredis reconnects is never settled by
   * disconnect(), so the loop races its waits against this rather than hang a shutdown.
   */
  readonly #halted: Promise<null>
  #halt: () => void = () => {}
  readonly #options: StreamReaderOptions<T>
  readonly #component: string

  constructor(options: StreamReaderOptions<T>) {
    this.#component = options.component ?? 'engine'
    this.#options = options
    this.#lastId = options.fromId
    this.#halted = new Promise((resolve) => (this.#halt = () => resolve(null)))
  }

  get lastId(): string {
    return this.#lastId
  }

  /** Whether no read has had a reply for STALL_MS (or the reader has not started). */
  get stalled(): boolean {
    return performance.now() - this.#heardAt > STALL_MS
  }

  start(): void {
    this.#running = true
    this.#heardAt = performance.now()
    this.#stopped = this.#loop()
    this.#watchdog = setInterval(() => this.#watch(), STALL_CHECK_MS)
    this.#watchdog.unref()
  }

  async stop(): Promise<void> {
    this.#running = false
    this.#halt()
    clearInterval(this.#watchdog)
    this.#options.redis.disconnect()
    await this.#stopped
  }

  async #loop(): Promise<void> {
    const { logger } = this.#options
    const batch = this.#options.batch ?? 5000
    let failures = 0
    // The first read does not block, so an empty or old stream is "caught up" at once.
    let next = this.#read(this.#lastId, false)

    while (this.#running) {
      try {
        const reply = await Promise.race([next, this.#halted])
        if (!this.#running) break
        if (failures > 0 || this.#stalledSince !== null) this.#resumed()
        failures = 0
        this.#failing = false

        const raw = reply?.[0]?.[1] ?? []
        const full = raw.length === batch
        // Ask for the next batch before applying this one, so that Redis reads and sends it
        // while this process parses and applies (a rebuild is a few hundred such reads).
        next = this.#read(raw.at(-1)?.[0] ?? this.#lastId, !full)
        await this.#deliver(raw, !full)
      } catch (error) {
        if (!this.#running) break
        failures += 1
        this.#failing = true
        if (failures === 1) {
          logger.warn({ event: 'stream_read_failed', component: this.#component, err: error })
        }
        await Promise.race([
          sleep(Math.min(5000, 100 * 2 ** failures) + Math.random() * 200),
          this.#halted,
        ])
        if (!this.#running) break
        // A read already asked for (when applying failed) is replaced by one from here.
        next.catch(() => {})
        next = this.#read(this.#lastId, true)
      }
    }
    // The read in flight is failed by the disconnect, or never settled: nobody waits for it.
    next.catch(() => {})
  }

  #read(after: string, block: boolean): Promise<XReadReply> {
    const { redis, stream } = this.#options
    const batch = this.#options.batch ?? 5000
    const read = block
      ? redis.xread('COUNT', batch, 'BLOCK', 1000, 'STREAMS', stream, after)
      : redis.xread('COUNT', batch, 'STREAMS', stream, after)

    // Stamped as the reply arrives, not when the loop gets to it after applying a batch. A
    // failure is not a reply: the loop reports and retries it.
    read.then(
      () => (this.#heardAt = performance.now()),
      () => {},
    )
    return read
  }

  /** Logs a stall once when a read has gone unanswered too long (a refusal logs itself). */
  #watch(): void {
    if (this.#stalledSince !== null || this.#failing || !this.stalled) return

    this.#stalledSince = this.#heardAt
    this.#options.logger.warn({
      event: 'stream_stalled',
      component: this.#component,
      ms: Math.round(performance.now() - this.#heardAt),
      from: this.#lastId,
    })
  }

  #resumed(): void {
    const stalledMs =
      this.#stalledSince === null ? undefined : Math.round(performance.now() - this.#stalledSince)
    this.#stalledSince = null
    this.#options.logger.info({
      event: 'stream_resumed',
      component: this.#component,
      from: this.#lastId,
      stalledMs,
    })
  }

  #deliver(raw: [string, string[]][], caughtUp: boolean): void | Promise<void> {
    const entries: StreamEntry<T>[] = []
    const parse = this.#options.parse ?? (parseEntry as (fields: string[]) => T | null)

    for (const [id, fields] of raw) {
      this.#lastId = id
      const event = parse(fields)
      if (event === null) {
        const component = this.#component
        const stream = this.#options.stream
        this.#options.logger.error({ event: 'stream_entry_invalid', component, stream, id })
        continue
      }
      entries.push({ id, event })
    }
    return this.#options.onBatch(entries, caughtUp)
  }
}

/**
 * The event of an entry. The event store's entries (field `v`, see STORED_FORM) are taken as
 * written; others (control events written by scripts, entries of older versions, anything
 * another program put in the stream) are checked against the schema first.
 */
export function parseEntry(fields: string[]): CanonicalEvent | null {
  const json = fields[fields.indexOf('e') + 1]
  if (json === undefined) return null

  try {
    const value: unknown = JSON.parse(json)
    if (fields[2] === 'v' && fields[3] === STORED_FORM) return value as CanonicalEvent

    const parsed = CanonicalEventSchema.safeParse(value)
    return parsed.success ? parsed.data : null
  } catch {
    return null
  }
}

type XReadReply = [key: string, entries: [id: string, fields: string[]][]][] | null

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

/**
 * Follows the event stream in Redis and hands each entry to a callback, in stream order,
 * from a starting id. The engine is fed only from here, never from the ingest request,
 * so every server process against the same Redis computes the same figures.
 */
import type { Redis } from 'ioredis'
import { CanonicalEventSchema, type CanonicalEvent } from '../../shared/events.ts'
import type { Logger } from '../logger.ts'

export interface StreamReaderOptions {
  redis: Redis
  stream: string
  /** Read entries after this id ("0-0" for all, "<ms>-0" for everything since a time). */
  fromId: string
  logger: Logger
  /** Entries per XREAD. @default 5000 */
  batch?: number
  /**
   * Called for each read, possibly with no entries; `caughtUp` is true when the read
   * reached the end of the stream.
   */
  onBatch(entries: StreamEntry[], caughtUp: boolean): void
}

export interface StreamEntry {
  id: string
  event: CanonicalEvent
}

export class StreamReader {
  #lastId: string
  #running = false
  #stopped: Promise<void> = Promise.resolve()
  readonly #options: StreamReaderOptions

  constructor(options: StreamReaderOptions) {
    this.#options = options
    this.#lastId = options.fromId
  }

  get lastId(): string {
    return this.#lastId
  }

  start(): void {
    this.#running = true
    this.#stopped = this.#loop()
  }

  async stop(): Promise<void> {
    this.#running = false
    this.#options.redis.disconnect()
    await this.#stopped
  }

  async #loop(): Promise<void> {
    const { redis, stream, logger } = this.#options
    const batch = this.#options.batch ?? 5000
    let failures = 0
    let first = true

    while (this.#running) {
      try {
        // The first read does not block, so an empty or old stream is "caught up" at once.
        const block = first ? 0 : 1000
        first = false
        const reply = block
          ? await redis.xread('COUNT', batch, 'BLOCK', block, 'STREAMS', stream, this.#lastId)
          : await redis.xread('COUNT', batch, 'STREAMS', stream, this.#lastId)
        if (failures > 0)
          logger.info({ event: 'stream_resumed', component: 'engine', from: this.#lastId })
        failures = 0

        const raw = reply?.[0]?.[1] ?? []
        this.#deliver(raw, raw.length < batch)
      } catch (error) {
        if (!this.#running) break
        failures += 1
        if (failures === 1) {
          logger.warn({ event: 'stream_read_failed', component: 'engine', err: error })
        }
        await sleep(Math.min(5000, 100 * 2 ** failures) + Math.random() * 200)
      }
    }
  }

  #deliver(raw: [string, string[]][], caughtUp: boolean): void {
    const entries: StreamEntry[] = []

    for (const [id, fields] of raw) {
      this.#lastId = id
      const event = parseEntry(fields)
      if (event === null) {
        this.#options.logger.error({ event: 'stream_entry_invalid', component: 'engine', id })
        continue
      }
      entries.push({ id, event })
    }
    this.#options.onBatch(entries, caughtUp)
  }
}

/** Entries were validated before they were written; this guards against foreign writers. */
function parseEntry(fields: string[]): CanonicalEvent | null {
  const json = fields[fields.indexOf('e') + 1]
  if (json === undefined) return null

  try {
    const parsed = CanonicalEventSchema.safeParse(JSON.parse(json))
    return parsed.success ? parsed.data : null
  } catch {
    return null
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

/**
 * Writes the engine's changed quarters to the history, a few seconds at a time in one
 * pipeline, never on the event path. A quarter that changes again (a late event) is
 * written again whole. While Redis is away the quarters wait and are written once it is
 * back; one warning says so, not one per attempt.
 */
import type { ChangedQuarter, Engine } from '../engine/engine.ts'
import type { Logger } from '../logger.ts'
import type { HistoryStore, QuarterRecord } from './history-store.ts'

export const HISTORY_FLUSH_MS = 2000

export interface HistoryWriterOptions {
  engine: Engine
  store: HistoryStore
  /**
   * Quarters starting before this were not rebuilt from the stream at start: the engine
   * holds only the late events of them, which must not replace the whole quarter stored.
   */
  completeFrom: number
  now: () => number
  logger: Logger
  flushMs?: number
}

export class HistoryWriter {
  readonly #options: HistoryWriterOptions
  readonly #pending = new Map<string, ChangedQuarter>()
  #timer: NodeJS.Timeout | undefined
  #flushing: Promise<void> = Promise.resolve()
  #failing = false
  #toldPartial = false

  constructor(options: HistoryWriterOptions) {
    this.#options = options
  }

  start(): void {
    const every = this.#options.flushMs ?? HISTORY_FLUSH_MS
    this.#timer = setInterval(() => void this.flush(), every)
  }

  /** Stops the timer and writes what is left, e.g. on a graceful close. */
  async stop(): Promise<void> {
    clearInterval(this.#timer)
    await this.flush()
  }

  /** Writes every quarter changed so far; flushes run one after another, never at once. */
  flush(): Promise<void> {
    this.#flushing = this.#flushing.then(() => this.#write())
    return this.#flushing
  }

  async #write(): Promise<void> {
    this.#takeChanged()
    if (this.#pending.size === 0) return

    const taken = [...this.#pending.values()]
    this.#pending.clear()
    const records: QuarterRecord[] = []
    for (const { queue, start } of taken) {
      // Read now, not when it changed: a retry writes the latest counters.
      const counters = this.#options.engine.quarterCounters(queue, start)
      if (counters !== undefined) records.push({ queue, start, counters })
    }

    const { store, logger, now } = this.#options
    try {
      const tooOld = await store.write(records, now())
      if (tooOld > 0) {
        logger.info({ event: 'history_too_old', component: 'history', quarters: tooOld })
      }
      if (this.#failing) {
        logger.info({
          event: 'history_write_resumed',
          component: 'history',
          quarters: taken.length,
        })
      }
      this.#failing = false
    } catch (error) {
      for (const quarter of taken) {
        const key = keyOf(quarter)
        if (!this.#pending.has(key)) this.#pending.set(key, quarter)
      }
      if (!this.#failing) {
        logger.warn({ event: 'history_write_failed', component: 'history', err: error })
      }
      this.#failing = true
    }
  }

  #takeChanged(): void {
    const { engine, completeFrom, logger } = this.#options
    let partial = 0

    for (const quarter of engine.takeChangedQuarters()) {
      if (quarter.start < completeFrom) partial += 1
      else this.#pending.set(keyOf(quarter), quarter)
    }
    if (partial > 0 && !this.#toldPartial) {
      this.#toldPartial = true
      logger.warn({
        event: 'history_late_event_not_kept',
        component: 'history',
        quarters: partial,
        before: new Date(completeFrom).toISOString(),
      })
    }
  }
}

function keyOf({ queue, start }: ChangedQuarter): string {
  return `${start}:${queue}`
}

/**
 * Writes the engine's changed quarters (counters and calls waiting) to the history, a few
 * seconds at a time in one pipeline, never on the event path. A quarter that changes again
 * (a late event) is written again whole. While Redis is away the quarters wait and are
 * written once it is back; one warning says so, not one per attempt.
 */
import type { ChangedQuarter, Engine } from '../engine/engine.ts'
import type { Logger } from '../logger.ts'
import { QUARTER_MS } from '../../shared/windows.ts'
import { ALL_QUEUES } from './history-codec.ts'
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
    const records = taken.flatMap((quarter) => this.#record(quarter))

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

  /** The quarter's figures now, not when it changed: a retry writes the latest. */
  #record({ queue, start }: ChangedQuarter): QuarterRecord[] {
    const { engine } = this.#options
    // Quarters the engine no longer keeps (after a long outage) are not known any more.
    const retain = engine.settings.retainMs
    if (retain !== null && start < engine.clock - retain) return []

    const waiting = engine.waitingSpan(queue, start, start + QUARTER_MS)
    if (queue === null) return [{ queue: ALL_QUEUES, start, counters: null, waiting }]
    const counters = engine.quarterCounters(queue, start) ?? null
    return [{ queue, start, counters, waiting }]
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
  return queue === null ? `${start}` : `${start}:${queue}`
}

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
import type { Recount } from './history-recount.ts'
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
  /**
   * Counts the quarters starting in [from, until) again from the stream, for late events
   * in quarters before `completeFrom`; without it, those events do not reach the history.
   */
  recount?: (from: number, until: number) => Promise<Recount>
  /**
   * Whether this process writes a queue's quarters (null: all queues' calls waiting); with
   * several processes each writes those it counts. @default every queue
   */
  writes?: (queue: string | null) => boolean
}

/** Least time between two recounts: each reads the stream from the quarter on. */
const RECOUNT_GAP_MS = 30_000

export class HistoryWriter {
  readonly #options: HistoryWriterOptions
  readonly #pending = new Map<string, ChangedQuarter>()
  #timer: NodeJS.Timeout | undefined
  #flushing: Promise<void> = Promise.resolve()
  #failing = false
  #toldPartial = false
  /** The quarters changed by late events that the engine does not hold whole: [from, until). */
  #partialFrom = Infinity
  #partialUntil = -Infinity
  #lastRecount = -Infinity

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
    this.#lastRecount = -Infinity
    await this.flush()
  }

  /** Writes every quarter changed so far; flushes run one after another, never at once. */
  flush(): Promise<void> {
    // A bug in one flush must not stop the ones after it, which wait on it.
    this.#flushing = this.#flushing
      .then(() => this.#write())
      .catch((error: unknown) => {
        this.#options.logger.error({
          event: 'history_flush_failed',
          component: 'history',
          err: error,
        })
      })
    return this.#flushing
  }

  async #write(): Promise<void> {
    this.#takeChanged()
    await this.#recount()
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
    const heldFrom = this.#heldFrom()

    const writes = this.#options.writes ?? (() => true)

    for (const quarter of this.#options.engine.takeChangedQuarters()) {
      if (!writes(quarter.queue)) continue
      if (quarter.start < heldFrom) {
        this.#partialFrom = Math.min(this.#partialFrom, quarter.start)
        this.#partialUntil = Math.max(this.#partialUntil, quarter.start + QUARTER_MS)
      } else {
        this.#pending.set(keyOf(quarter), quarter)
      }
    }
  }

  /**
   * The first quarter the engine holds whole: none before its rebuild's start, and none it
   * has begun to forget (it takes no event older than its retention, even in a quarter it
   * still keeps).
   */
  #heldFrom(): number {
    const { engine, completeFrom } = this.#options
    const retain = engine.settings.retainMs
    if (retain === null) return completeFrom

    const forgetting = engine.clock - retain
    return Math.max(completeFrom, forgetting - (forgetting % QUARTER_MS) + QUARTER_MS)
  }

  /** Quarters changed by late events before `completeFrom`: counted whole from the stream. */
  async #recount(): Promise<void> {
    const { recount, store, logger, now } = this.#options
    const from = this.#partialFrom
    const until = this.#partialUntil
    if (from === Infinity) return
    if (recount === undefined) return this.#notKept(from, until)
    if (now() - this.#lastRecount < RECOUNT_GAP_MS) return

    this.#lastRecount = now()
    this.#partialFrom = Infinity
    this.#partialUntil = -Infinity
    try {
      const counted = await recount(from, until)
      await store.write(counted.records, now())
      if (counted.from > from) this.#notKept(from, counted.from)
      logger.info({
        event: 'history_recounted',
        component: 'history',
        from: new Date(counted.from).toISOString(),
        until: new Date(until).toISOString(),
        quarters: counted.records.length,
      })
    } catch (error) {
      // Tried again at a later flush, with whatever else changed meanwhile.
      this.#partialFrom = Math.min(this.#partialFrom, from)
      this.#partialUntil = Math.max(this.#partialUntil, until)
      logger.warn({ event: 'history_recount_failed', component: 'history', err: error })
    }
  }

  /** Late events in quarters no process can count whole any more: said once. */
  #notKept(from: number, until: number): void {
    this.#partialFrom = Infinity
    this.#partialUntil = -Infinity
    if (this.#toldPartial) return
    this.#toldPartial = true
    this.#options.logger.warn({
      event: 'history_late_event_not_kept',
      component: 'history',
      from: new Date(from).toISOString(),
      until: new Date(until).toISOString(),
    })
  }
}

function keyOf({ queue, start }: ChangedQuarter): string {
  return queue === null ? `${start}` : `${start}:${queue}`
}

/**
 * What the engine holds of one queue: its buckets, its calls waiting and their peaks. With
 * several server processes, one of them counts a queue from its events and sends copies of
 * what changed; the others hold the same buckets, set from those copies (QueueCopy).
 */
import { emptyCounters, type Counters, type LiveQueue } from '../../shared/figures.ts'
import { MINUTE_MS, QUARTER_MS } from '../../shared/windows.ts'
import { BucketSeries } from './bucket-series.ts'
import { WaitingPeaks, type PeakCopy } from './waiting-peaks.ts'

/** One call's visit to one queue. */
export interface Visit {
  queue: string
  callId: string
  enteredAt: number
  /** When the visit's SL event was counted, and whether it met the threshold. */
  slAt: number | null
  leftAt: number | null
  ended: boolean
}

/** The buckets of a queue that changed, whole, and its calls waiting: JSON as it stands. */
export interface QueueCopy {
  queue: string
  /** [bucket index (start / width), counters] */
  minutes: [number, Counters][]
  quarters: [number, Counters][]
  peaks: PeakCopy
  live: LiveQueue
}

export class QueueState {
  readonly minutes = new BucketSeries(MINUTE_MS)
  readonly quarters = new BucketSeries(QUARTER_MS)
  readonly waiting = new Map<string, Visit>()
  readonly peaks = new WaitingPeaks()
  /** Starts of the quarters changed since the history last took them. */
  readonly changed = new Set<number>()
  /**
   * Calls waiting as the queue's owner last sent them, while another process counts this
   * queue; null while this engine counts it (its visits are in `waiting` then).
   */
  copied: LiveQueue | null = null
  /** Bucket indexes changed since the last copy was taken. */
  readonly #dirtyMinutes = new Set<number>()
  readonly #dirtyQuarters = new Set<number>()
  readonly #dirtyPeaks = new Set<number>()
  #dirtyLive = false

  /** Calls waiting now, counted here or copied. */
  get waitingCount(): number {
    return this.copied?.waiting ?? this.waiting.size
  }

  /** An event at `ts` changes this queue's buckets. */
  touch(ts: number): void {
    this.changed.add(ts - (ts % QUARTER_MS))
    this.#dirtyMinutes.add(Math.floor(ts / MINUTE_MS))
    this.#dirtyQuarters.add(Math.floor(ts / QUARTER_MS))
  }

  /** Calls waiting changed; `quarters` are the starts of the peak quarters it moved. */
  touchWaiting(...quarters: number[]): void {
    this.#dirtyLive = true
    for (const start of quarters) {
      this.changed.add(start)
      this.#dirtyPeaks.add(Math.floor(start / QUARTER_MS))
    }
  }

  /** Everything held counts as changed: the next copy sends the queue whole. */
  touchAll(): void {
    for (const start of this.minutes.starts()) this.#dirtyMinutes.add(start / MINUTE_MS)
    for (const start of this.quarters.starts()) this.#dirtyQuarters.add(start / QUARTER_MS)
    for (const start of this.quarters.starts()) this.#dirtyPeaks.add(start / QUARTER_MS)
    this.#dirtyLive = true
  }

  get dirty(): boolean {
    return this.#dirtyLive || this.#dirtyMinutes.size > 0 || this.#dirtyQuarters.size > 0
  }

  /** What changed since the last copy, and forgets that it changed. */
  takeCopy(queue: string, live: LiveQueue): QueueCopy {
    const copy: QueueCopy = {
      queue,
      minutes: pick(this.minutes, this.#dirtyMinutes),
      quarters: pick(this.quarters, this.#dirtyQuarters),
      peaks: this.peaks.copyOf(this.#dirtyPeaks),
      live,
    }
    this.#dirtyMinutes.clear()
    this.#dirtyQuarters.clear()
    this.#dirtyPeaks.clear()
    this.#dirtyLive = false
    return copy
  }

  /** Sets the buckets and calls waiting another process sent; the rest stays as it was. */
  restore(copy: QueueCopy): void {
    for (const [index, counters] of copy.minutes) this.minutes.put(index, counters)
    for (const [index, counters] of copy.quarters) this.quarters.put(index, counters)
    this.peaks.restore(copy.peaks)
    this.copied = copy.live
  }
}

function pick(series: BucketSeries, indexes: ReadonlySet<number>): [number, Counters][] {
  const out: [number, Counters][] = []
  for (const index of indexes) {
    const bucket = series.byIndex(index)
    // A bucket pruned since it changed is sent as empty, so that copies forget it too.
    out.push([index, bucket === undefined ? emptyCounters() : { ...bucket }])
  }
  return out
}

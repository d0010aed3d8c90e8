/**
 * Fixed-width time buckets of counters. An event touches exactly one bucket of each width,
 * so its cost does not depend on how long the windows read from them are.
 */
import { addCounters, emptyCounters, type Counters } from '../../shared/figures.ts'

/** Buckets of any additive counter shape, given how to make an empty one and add two. */
export class TimeBuckets<T> {
  readonly #buckets = new Map<number, T>()

  constructor(
    readonly widthMs: number,
    readonly create: () => T,
    readonly add: (into: T, from: T) => unknown,
  ) {}

  /** The bucket holding `ts`, created on first use. */
  at(ts: number): T {
    const index = Math.floor(ts / this.widthMs)
    let bucket = this.#buckets.get(index)

    if (bucket === undefined) {
      bucket = this.create()
      this.#buckets.set(index, bucket)
    }
    return bucket
  }

  /** Adds every bucket that starts in [start, end] into `into`. */
  sumInto(into: T, start: number, end: number): T {
    const first = Math.ceil(start / this.widthMs)
    const last = Math.floor(end / this.widthMs)

    // Sparse series (a quiet queue) are cheaper to walk by entry than by index.
    if (this.#buckets.size < last - first + 1) {
      for (const [index, bucket] of this.#buckets) {
        if (index >= first && index <= last) this.add(into, bucket)
      }
      return into
    }

    for (let index = first; index <= last; index++) {
      const bucket = this.#buckets.get(index)
      if (bucket !== undefined) this.add(into, bucket)
    }
    return into
  }

  /** Drops buckets that end before `before`. */
  prune(before: number): void {
    const firstKept = Math.floor(before / this.widthMs)
    for (const index of this.#buckets.keys()) {
      if (index < firstKept) this.#buckets.delete(index)
    }
  }

  /** Start times (epoch ms) of the buckets that hold anything. */
  starts(): number[] {
    return [...this.#buckets.keys()].map((index) => index * this.widthMs)
  }

  get size(): number {
    return this.#buckets.size
  }
}

/** Buckets of queue counters. */
export class BucketSeries extends TimeBuckets<Counters> {
  constructor(widthMs: number) {
    super(widthMs, emptyCounters, addCounters)
  }
}

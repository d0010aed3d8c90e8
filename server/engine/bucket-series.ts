/**
 * Fixed-width time buckets of counters. An event touches exactly one bucket of each width,
 * so its cost does not depend on how long the windows read from them are; and a read keeps
 * the sum of the buckets before the one still filling, so reading a day costs about what
 * reading a quarter of an hour does.
 */
import { addCounters, emptyCounters, type Counters } from '../../shared/figures.ts'

/** Buckets of any additive counter shape, given how to make an empty one and add two. */
export class TimeBuckets<T> {
  readonly #buckets = new Map<number, T>()
  /** Sums of buckets [first, last) by `first`, kept while none of those buckets changes. */
  readonly #closedSums = new Map<number, { last: number; sum: T }>()
  /** No bucket below this index is in a kept sum. */
  #summedBelow = -Infinity

  constructor(
    readonly widthMs: number,
    readonly create: () => T,
    readonly add: (into: T, from: T) => unknown,
  ) {}

  /** The bucket holding `ts`, created on first use. */
  at(ts: number): T {
    const index = Math.floor(ts / this.widthMs)
    let bucket = this.#buckets.get(index)
    // The caller is about to change this bucket: a late event in a summed range.
    if (index < this.#summedBelow) this.#forgetSums()

    if (bucket === undefined) {
      bucket = this.create()
      this.#buckets.set(index, bucket)
    }
    return bucket
  }

  /** Replaces the bucket of index `index` whole (a copy of another engine's, say). */
  put(index: number, bucket: T): void {
    if (index < this.#summedBelow) this.#forgetSums()
    this.#buckets.set(index, bucket)
  }

  /** The bucket of index `index` (its start over the width) if there is one. */
  byIndex(index: number): T | undefined {
    return this.#buckets.get(index)
  }

  /** The bucket holding `ts` if there is one, for reading: kept sums stay valid. */
  peek(ts: number): T | undefined {
    return this.#buckets.get(Math.floor(ts / this.widthMs))
  }

  /** Adds every bucket that starts in [start, end] into `into`. */
  sumInto(into: T, start: number, end: number): T {
    const first = Math.ceil(start / this.widthMs)
    const last = Math.floor(end / this.widthMs)
    if (last < first) return into

    // The bucket of `end` is still filling; those before it change only with late events.
    this.add(into, this.#closedSum(first, last))
    const current = this.#buckets.get(last)
    if (current !== undefined) this.add(into, current)
    return into
  }

  /** Drops buckets that end before `before`. */
  prune(before: number): void {
    const firstKept = Math.floor(before / this.widthMs)
    for (const index of this.#buckets.keys()) {
      if (index < firstKept) this.#buckets.delete(index)
    }
    if (firstKept > this.#lowestSummed()) this.#forgetSums()
  }

  /** Start times (epoch ms) of the buckets that hold anything. */
  starts(): number[] {
    return [...this.#buckets.keys()].map((index) => index * this.widthMs)
  }

  get size(): number {
    return this.#buckets.size
  }

  /** The sum of buckets [first, last): kept, extended to `last`, or added up anew. */
  #closedSum(first: number, last: number): T {
    let kept = this.#closedSums.get(first)

    if (kept === undefined || kept.last > last) {
      // A few windows read each series (today and interval, or 15, 30 and 60 minutes);
      // more starts than that means the reads moved on, and the old sums are of no use.
      if (this.#closedSums.size >= MAX_KEPT_SUMS) this.#closedSums.clear()
      kept = { last: first, sum: this.create() }
      this.#closedSums.set(first, kept)
    }
    if (kept.last < last) {
      this.#addRange(kept.sum, kept.last, last - 1)
      kept.last = last
    }

    this.#summedBelow = Math.max(this.#summedBelow, last)
    return kept.sum
  }

  /** Adds the buckets [first, last] into `into`. */
  #addRange(into: T, first: number, last: number): void {
    // Sparse series (a quiet queue) are cheaper to walk by entry than by index.
    if (this.#buckets.size < last - first + 1) {
      for (const [index, bucket] of this.#buckets) {
        if (index >= first && index <= last) this.add(into, bucket)
      }
      return
    }

    for (let index = first; index <= last; index++) {
      const bucket = this.#buckets.get(index)
      if (bucket !== undefined) this.add(into, bucket)
    }
  }

  #lowestSummed(): number {
    let lowest = Infinity
    for (const first of this.#closedSums.keys()) lowest = Math.min(lowest, first)
    return lowest
  }

  #forgetSums(): void {
    this.#closedSums.clear()
    this.#summedBelow = -Infinity
  }
}

/** How many window starts a series keeps sums for. */
const MAX_KEPT_SUMS = 8

/** Buckets of queue counters. */
export class BucketSeries extends TimeBuckets<Counters> {
  constructor(widthMs: number) {
    super(widthMs, emptyCounters, addCounters)
  }
}

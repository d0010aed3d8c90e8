/**
 * Calls waiting over the day: per quarter hour, the most calls that waited at once and how
 * many still waited when it ended. The engine notes each change of its waiting count here,
 * which costs one map look-up per enter or leave; quarters without a change carry the
 * level in from the quarter before.
 */
import { QUARTER_MS } from '../../shared/windows.ts'

export interface PeakQuarter {
  peak: number
  /** The level after the last change in the quarter: what waited at its end. */
  end: number
}

export interface WaitingSpan {
  /** The most calls waiting at once in the span; the level carried in counts. */
  peak: number
  /** Calls waiting at the end of the span (or now, for the span still running). */
  atEnd: number
}

/** Some quarters of a WaitingPeaks and where its level stands, as another process sends them. */
export interface PeakCopy {
  quarters: [number, PeakQuarter][]
  /** The newest quarter with a change; null before the first (JSON has no -Infinity). */
  lastIndex: number | null
  level: number
}

export class WaitingPeaks {
  readonly #quarters = new Map<number, PeakQuarter>()
  /** Index of the newest quarter with a change, and the level now. */
  #lastIndex = -Infinity
  #level = 0

  /**
   * The waiting count became `level` at `at`. Changes come in time order but for late
   * events: one stamped in an earlier quarter raises that quarter's peak, and the level
   * now moves on in the newest quarter, as the engine's count does.
   */
  note(at: number, level: number): void {
    const index = Math.floor(at / QUARTER_MS)
    if (index < this.#lastIndex) {
      const past = this.#quarters.get(index)
      if (past === undefined) this.#quarters.set(index, { peak: level, end: level })
      else past.peak = Math.max(past.peak, level)
    }

    const newest = Math.max(index, this.#lastIndex)
    let quarter = this.#quarters.get(newest)
    if (quarter === undefined) {
      // A new quarter starts with what was waiting when the last one ended.
      quarter = { peak: this.#level, end: this.#level }
      this.#quarters.set(newest, quarter)
    }
    quarter.peak = Math.max(quarter.peak, level)
    quarter.end = level
    this.#level = level
    this.#lastIndex = newest
  }

  /** The quarters starting in [start, end), both on quarter boundaries. */
  span(start: number, end: number): WaitingSpan {
    const first = Math.floor(start / QUARTER_MS)
    const last = Math.ceil(end / QUARTER_MS) - 1
    let level = this.#levelBefore(first)
    let peak = level

    for (let index = first; index <= last; index++) {
      const quarter = this.#quarters.get(index)
      if (quarter === undefined) continue
      peak = Math.max(peak, quarter.peak)
      level = quarter.end
    }
    return { peak, atEnd: level }
  }

  /** Forgets quarters that end before `before`, keeping the newest so the level carries. */
  prune(before: number): void {
    const firstKept = Math.floor(before / QUARTER_MS)
    for (const index of this.#quarters.keys()) {
      if (index < firstKept && index !== this.#lastIndex) this.#quarters.delete(index)
    }
  }

  get size(): number {
    return this.#quarters.size
  }

  /** The quarters of the given indexes as they stand, and the level now: for another copy. */
  copyOf(indexes: Iterable<number>): PeakCopy {
    const quarters: [number, PeakQuarter][] = []
    for (const index of indexes) {
      const quarter = this.#quarters.get(index)
      if (quarter !== undefined) quarters.push([index, { ...quarter }])
    }
    const lastIndex = Number.isFinite(this.#lastIndex) ? this.#lastIndex : null
    return { quarters, lastIndex, level: this.#level }
  }

  /** Takes quarters and the level from another copy, replacing what this one had for them. */
  restore(copy: PeakCopy): void {
    for (const [index, quarter] of copy.quarters) this.#quarters.set(index, { ...quarter })
    this.#lastIndex = copy.lastIndex ?? -Infinity
    this.#level = copy.level
  }

  /** The level at the start of quarter `index`: the end of the newest quarter before it. */
  #levelBefore(index: number): number {
    if (index > this.#lastIndex) return this.#level

    let best = -Infinity
    let level = 0
    for (const [at, quarter] of this.#quarters) {
      if (at < index && at > best) {
        best = at
        level = quarter.end
      }
    }
    return level
  }
}

/**
 * One agent's time, kept as the queue figures are: milliseconds per state in 1-minute and
 * 15-minute UTC buckets, each stretch counted in the bucket where it was spent. The state
 * in progress is credited up to a moving mark (at each change, and each minute from the
 * clock), so no event ever credits more than about a minute; readers add the stretch
 * since the mark themselves.
 *
 * A change stamped before the mark (a late event) moves the time between the two from the
 * old state to the new one, so the buckets end up the same whenever the marks fell: two
 * servers, or one that rebuilt from Redis, hold the same figures.
 */
import {
  addAgentCounters,
  emptyAgentCounters,
  type AgentCounters,
  type AgentStateName,
} from '../../shared/agent-figures.ts'
import { MINUTE_MS, QUARTER_MS } from '../../shared/windows.ts'
import { TimeBuckets } from '../engine/bucket-series.ts'
import type { StateAndReason } from './agent-status.ts'

/** A state that began at `start` and lasted until the next segment's start (or now). */
export interface Segment extends StateAndReason {
  start: number
}

type CountKey = 'handledCalls' | 'handledCallMs' | 'ringNoAnswer'

export class AgentLedger {
  readonly minutes = new TimeBuckets(MINUTE_MS, emptyAgentCounters, addAgentCounters)
  readonly quarters = new TimeBuckets(QUARTER_MS, emptyAgentCounters, addAgentCounters)
  /** State changes in time order; the last one is the state now. */
  readonly segments: Segment[] = []
  /**
   * Time before this is never credited: the engine forgets it at once anyway, and an agent
   * last heard of months ago would otherwise cost a bucket for every minute since.
   */
  floor = -Infinity
  #credited = -Infinity

  get state(): AgentStateName {
    return this.segments.at(-1)?.state ?? 'logged_out'
  }

  get reason(): string | null {
    return this.segments.at(-1)?.reason ?? null
  }

  /** When the state now began; null for an agent never seen in any state. */
  get since(): number | null {
    return this.segments.at(-1)?.start ?? null
  }

  /** Enters `next` at `at`, which must not be before the state now began. */
  change(next: StateAndReason, at: number): void {
    const current = this.segments.at(-1)
    if (current !== undefined && current.state === next.state && current.reason === next.reason)
      return

    if (at >= this.#credited) {
      this.#credit(this.state, this.#credited, at, 1)
      this.#credited = at
    } else {
      this.#credit(this.state, at, this.#credited, -1)
      this.#credit(next.state, at, this.#credited, 1)
    }

    // Two changes at one instant leave no stretch of the first behind.
    if (current !== undefined && current.start === at) this.segments.pop()
    const before = this.segments.at(-1)
    if (before?.state !== next.state || before.reason !== next.reason) {
      this.segments.push(segmentOf(next.state, next.reason, at))
    }
  }

  /** Credits the state in progress up to `now`. */
  checkpoint(now: number): void {
    if (now <= this.#credited) return
    this.#credit(this.state, this.#credited, now, 1)
    this.#credited = now
  }

  /** Adds `amount` to a count in the buckets holding `at`. */
  count(key: CountKey, at: number, amount: number): void {
    this.minutes.at(at)[key] += amount
    this.quarters.at(at)[key] += amount
  }

  /**
   * Re-labels past time: what was recorded as `from` within [start, end) becomes `to`. A
   * source that reports wrap-up only as a figure on the call's end (call.end's wrapMs)
   * is corrected this way once the call is over.
   */
  relabel(start: number, end: number, from: AgentStateName, to: AgentStateName): void {
    const limit = Math.min(end, this.#credited)

    // Walk back from the newest closed segment; each split keeps the list in time order.
    for (let index = this.segments.length - 2; index >= 0; index--) {
      const segment = this.segments[index] as Segment
      const segmentEnd = (this.segments[index + 1] as Segment).start
      if (segmentEnd <= start) break
      if (segment.state !== from) continue

      const a = Math.max(segment.start, start)
      const b = Math.min(segmentEnd, limit)
      if (a >= b) continue

      this.#credit(from, a, b, -1)
      this.#credit(to, a, b, 1)
      const pieces: Segment[] = [segmentOf(to, null, a)]
      if (b < segmentEnd) pieces.push(segmentOf(segment.state, segment.reason, b))
      if (a > segment.start) this.segments.splice(index + 1, 0, ...pieces)
      else this.segments.splice(index, 1, ...pieces)
    }
  }

  /**
   * Adds the counters of the buckets starting in [start, end], and the state in progress
   * from the mark (or the window's start) to `end`, into `into`.
   */
  sumInto(into: AgentCounters, start: number, end: number, rolling: boolean): AgentCounters {
    const series = rolling ? this.minutes : this.quarters
    series.sumInto(into, start, end)

    const state = this.state
    const from = Math.max(this.#credited, start)
    if (state !== 'logged_out' && end > from) into[state] += end - from
    return into
  }

  /** Forgets buckets and segments older than needed; true when nothing is left. */
  prune(minutesBefore: number, quartersBefore: number): boolean {
    this.minutes.prune(minutesBefore)
    this.quarters.prune(quartersBefore)

    // Keep the segment in progress at the cut-off: it says what the state was then.
    let drop = 0
    while (drop + 1 < this.segments.length) {
      const next = this.segments[drop + 1] as Segment
      if (next.start > quartersBefore) break
      drop += 1
    }
    this.segments.splice(0, drop)

    const last = this.segments.at(-1)
    const idle = last === undefined || (last.state === 'logged_out' && last.start < quartersBefore)
    return idle && this.quarters.size === 0 && this.minutes.size === 0
  }

  /** Adds `sign` × the time of [start, end) spent in `state` to the buckets it fell in. */
  #credit(state: AgentStateName, start: number, end: number, sign: 1 | -1): void {
    const first = Math.max(start, this.floor)
    if (state === 'logged_out' || !(end > first)) return

    for (const series of [this.minutes, this.quarters]) {
      const width = series.widthMs
      for (let from = first; from < end;) {
        const to = Math.min(end, (Math.floor(from / width) + 1) * width)
        series.at(from)[state] += sign * (to - from)
        from = to
      }
    }
  }
}

// One literal shape for every segment: objects made by spreading differently shaped ones
// were twenty times slower to walk, and the board walks every agent's day each second.
function segmentOf(state: AgentStateName, reason: string | null, start: number): Segment {
  return { state, reason, start }
}

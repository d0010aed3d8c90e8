/**
 * The KPI engine: applies canonical events to per-queue time buckets and live queue
 * state, and reads figures for any window. The same code serves the live server (fed
 * from the Redis stream, clock driven by the wall clock) and the `report` command (fed
 * from a file, clock driven by event times).
 *
 * Final figures depend only on the set of events, not on when they arrived: a call
 * counted as a service-level miss because its answer came late is corrected when the
 * answer shows it was within the threshold.
 */
import type {
  CallAbandon,
  CallAnswer,
  CallEnd,
  CallEnter,
  CallExit,
  CanonicalEvent,
} from '../../shared/events.ts'
import type { Counters, FigureRule, LiveQueue } from '../../shared/figures.ts'
import { MINUTE_MS, QUARTER_MS, type TimeSettings } from '../../shared/windows.ts'
import { QueueState, type QueueCopy, type Visit } from './queue-state.ts'
import { WaitingPeaks, type WaitingSpan } from './waiting-peaks.ts'

export interface EngineSettings {
  /** Service-level threshold T in seconds. @default 20 */
  thresholdSeconds: number
  time: TimeSettings
  /**
   * A call still "waiting" this long is taken to be lost by the source (a file that ends
   * mid-call, a missed event) and leaves the calls-waiting figure. @default 4 h
   */
  maxWaitMs: number
  /** Keep buckets this long behind the clock; null keeps everything (reports). */
  retainMs: number | null
  /**
   * The furthest an event may move the clock, read at each event; null for none. The live
   * server sets it a little past the wall clock so that one event stamped by a PBX with a
   * wrong clock cannot fast-forward the whole wall into the future.
   */
  clockLimit: (() => number) | null
  /**
   * A queue's own threshold T and short-abandon seconds S, read at each event, so that a
   * change of settings counts from the next event on. Without it every queue has
   * `thresholdSeconds` and no short abandons.
   */
  queueCounting?: (queue: string) => QueueCounting
  /** How a queue's figures (null: all queues') are judged in reports; V2 without it. */
  figureRule?: (queue: string | null) => FigureRule
  /**
   * Told each time a visit's SL event is counted (change 1) or taken back (change -1), at
   * the instant whose buckets it counts in: the calls behind a service level (GET /calls).
   */
  onServiceLevel?: (mark: ServiceLevelMark) => void
}

/** One count of a visit in (or out of) the SL denominator, and in the numerator if met. */
export interface ServiceLevelMark {
  queue: string
  callId: string
  enteredAt: number
  at: number
  change: 1 | -1
  met: boolean
}

/** What the engine needs of a queue's settings to count its calls. */
export interface QueueCounting {
  thresholdSeconds: number
  /** 0: no abandon is short. */
  shortAbandonSeconds: number
}

export const ENGINE_DEFAULTS: Omit<EngineSettings, 'time'> = {
  thresholdSeconds: 20,
  maxWaitMs: 4 * 3600 * 1000,
  retainMs: 50 * 3600 * 1000,
  clockLimit: null,
}

/** Rolling windows are read from minute buckets; these are kept for two hours. */
const MINUTE_RETAIN_MS = 2 * 3600 * 1000
/** A call that left the queue is remembered this long to recognise its late duplicates. */
const VISIT_RETAIN_MS = 2 * 3600 * 1000

type LeaveEvent = CallAnswer | CallAbandon | CallExit

/** A quarter of one queue (null: of all queues' calls waiting) whose figures changed. */
export interface ChangedQuarter {
  queue: string | null
  start: number
}

export class Engine {
  readonly settings: EngineSettings
  readonly #queues = new Map<string, QueueState>()
  readonly #visits = new Map<string, Visit>()
  /** Calls waiting in all queues together, whose peaks are not the sum of the queues'. */
  readonly #allPeaks = new WaitingPeaks()
  #allWaiting = 0
  /** Quarters whose all-queues calls waiting changed since the history last took them. */
  readonly #allChanged = new Set<number>()
  /**
   * Changed quarters of queues pruned before the history took them: a quarter changed by an
   * event too old to count here may be the queue's only trace, and the history must still
   * count it again from the stream.
   */
  readonly #prunedChanged = new Map<string, Set<number>>()
  /**
   * Whether this engine counts a queue from its events. The buckets of the others are set
   * from the copies their owners send (restoreCopies); see server/cluster/.
   */
  owns: (queue: string) => boolean = () => true
  #counted = 0
  #clock = 0
  #nextDeadline = Infinity
  #lastPruneMinute = 0

  constructor(settings: EngineSettings) {
    this.settings = settings
  }

  /** Call events this engine has counted (those of queues it does not own are not). */
  get eventsCounted(): number {
    return this.#counted
  }

  /** The engine's notion of now: the latest of the event times and clock ticks seen. */
  get clock(): number {
    return this.#clock
  }

  get thresholdMs(): number {
    return this.settings.thresholdSeconds * 1000
  }

  /** T of one queue, in ms, as it stands now. */
  thresholdMsOf(queue: string): number {
    const counting = this.settings.queueCounting?.(queue)
    return (counting?.thresholdSeconds ?? this.settings.thresholdSeconds) * 1000
  }

  /**
   * Settings changed: deadlines of calls still waiting move with their queue's new T (one
   * already past it is a miss at once), and later events count by the new settings.
   */
  countingChanged(): void {
    this.#countOverdueCalls()
  }

  queueNames(): string[] {
    return [...this.#queues.keys()].sort()
  }

  apply(event: CanonicalEvent): void {
    const limit = this.settings.clockLimit
    this.advance(limit === null ? event.ts : Math.min(event.ts, limit()))

    if (event.type.startsWith('call.')) {
      if (!this.owns((event as CallEnter).queue)) return
      this.#counted += 1
    }
    switch (event.type) {
      case 'call.enter':
        return this.#enter(event)
      case 'call.answer':
      case 'call.abandon':
      case 'call.exit':
        return this.#leave(event)
      case 'call.end':
        return this.#end(event)
      default:
        // Agent and other events carry no queue figure yet; they stay in the stream.
        return
    }
  }

  /**
   * Moves the clock forward to `now`: calls still waiting when their wait passes T have
   * their SL event (a miss) now, so a melting queue shows at once.
   */
  advance(now: number): void {
    if (now <= this.#clock) return
    this.#clock = now

    if (now >= this.#nextDeadline) this.#countOverdueCalls()

    const minute = Math.floor(now / MINUTE_MS)
    if (minute !== this.#lastPruneMinute) {
      this.#lastPruneMinute = minute
      this.#prune()
    }
  }

  /** Adds the counters of `queue` for buckets starting in [start, end] into `into`. */
  sumQueue(into: Counters, queue: string, start: number, end: number, rolling: boolean) {
    const state = this.#queues.get(queue)
    if (state === undefined) return into

    const series = rolling ? state.minutes : state.quarters
    return series.sumInto(into, start, end)
  }

  live(queue: string): LiveQueue {
    const state = this.#queues.get(queue)
    if (state?.copied) return state.copied
    let oldest: number | null = null

    for (const visit of state?.waiting.values() ?? []) {
      if (oldest === null || visit.enteredAt < oldest) oldest = visit.enteredAt
    }
    return { waiting: state?.waiting.size ?? 0, oldestEnteredAt: oldest }
  }

  /** Peak and closing calls waiting over [start, end) on quarters; all queues without one. */
  waitingSpan(queue: string | null, start: number, end: number): WaitingSpan {
    const peaks = queue === null ? this.#allPeaks : this.#queues.get(queue)?.peaks
    return peaks?.span(start, end) ?? { peak: 0, atEnd: 0 }
  }

  /** Start times of every quarter bucket that holds data, over all queues. */
  quarterStarts(): number[] {
    const starts = new Set<number>()
    for (const state of this.#queues.values()) {
      for (const start of state.quarters.starts()) starts.add(start)
    }
    return [...starts].sort((a, b) => a - b)
  }

  #enter(event: CallEnter): void {
    const key = visitKey(event.queue, event.callId)
    if (this.#visits.has(key)) return

    const visit: Visit = {
      queue: event.queue,
      callId: event.callId,
      enteredAt: event.ts,
      slAt: null,
      leftAt: null,
      ended: false,
    }
    this.#visits.set(key, visit)
    // An entry older than the longest plausible wait (an old file posted today) is history:
    // it still has its SL event, but nobody is waiting any more.
    const stale = event.ts < this.#clock - this.settings.maxWaitMs
    if (!stale) this.#setWaiting(this.#queue(event.queue), key, visit, event.ts)

    const deadline = event.ts + this.thresholdMsOf(event.queue)
    if (deadline <= this.#clock) this.#countMiss(visit)
    else this.#nextDeadline = Math.min(this.#nextDeadline, deadline)
  }

  #leave(event: LeaveEvent): void {
    const key = visitKey(event.queue, event.callId)
    const state = this.#queue(event.queue)
    let visit = this.#visits.get(key)

    if (visit === undefined) {
      // The entry was never seen (a file that starts mid-call): its wait says when it was.
      const enteredAt = event.ts - event.waitMs
      const callId = event.callId
      visit = { queue: event.queue, callId, enteredAt, slAt: null, leftAt: null, ended: false }
      this.#visits.set(key, visit)
    }
    if (visit.leftAt !== null) return

    visit.leftAt = event.ts
    this.#setWaiting(state, key, null, event.ts)
    this.#countServiceLevel(visit, event)

    const now = this.#buckets(state, event.ts)
    for (const bucket of now) {
      if (event.type === 'call.answer') {
        bucket.answered += 1
        bucket.answerWaitMs += event.waitMs
      } else if (event.type === 'call.abandon') {
        bucket.abandoned += 1
        if (event.waitMs <= this.thresholdMsOf(event.queue)) bucket.abandonedWithinThreshold += 1
        if (this.#isShortAbandon(event)) bucket.abandonedShort += 1
      } else {
        bucket.exited += 1
      }
    }
  }

  #countServiceLevel(visit: Visit, event: LeaveEvent): void {
    const state = this.#queue(visit.queue)
    const within = event.waitMs <= this.thresholdMsOf(visit.queue)

    if (!within) {
      if (visit.slAt === null) this.#countMiss(visit, event.ts)
      return
    }

    // Counted as a miss while its answer was still on the way: move it to where it belongs.
    if (visit.slAt !== null) {
      for (const bucket of this.#buckets(state, visit.slAt)) bucket.offered -= 1
      this.#mark(visit, visit.slAt, -1, false)
    }

    visit.slAt = event.ts
    for (const bucket of this.#buckets(state, event.ts)) {
      bucket.offered += 1
      if (event.type === 'call.answer') bucket.answeredWithinThreshold += 1
    }
    this.#mark(visit, event.ts, 1, event.type === 'call.answer')
  }

  /** Counts the visit as offered and missed at the moment its wait passed T. */
  #countMiss(visit: Visit, leftAt = Infinity): void {
    const at = Math.min(visit.enteredAt + this.thresholdMsOf(visit.queue), leftAt)
    visit.slAt = at
    for (const bucket of this.#buckets(this.#queue(visit.queue), at)) bucket.offered += 1
    this.#mark(visit, at, 1, false)
  }

  #mark(visit: Visit, at: number, change: 1 | -1, met: boolean): void {
    const { queue, callId, enteredAt } = visit
    this.settings.onServiceLevel?.({ queue, callId, enteredAt, at, change, met })
  }

  /**
   * Puts a visit in (or, with null, takes it out of) the queue's calls waiting, at `at`:
   * the call's own time, so that a rebuild or a file posted late keeps the day's shape.
   */
  #setWaiting(state: QueueState, key: string, visit: Visit | null, at: number): void {
    const before = state.waiting.size
    if (visit === null) state.waiting.delete(key)
    else state.waiting.set(key, visit)

    const change = state.waiting.size - before
    if (change === 0) return
    const when = Math.min(at, this.#clock)
    state.peaks.note(when, state.waiting.size)
    this.#waitingMoved(change, when)

    // A late change raises its own quarter's peak and sets the level of the quarter now.
    state.touchWaiting(quarterOf(when), quarterOf(this.#clock))
  }

  /** All queues' calls waiting moved by `change` at `when`. */
  #waitingMoved(change: number, when: number): void {
    this.#allWaiting += change
    this.#allPeaks.note(when, this.#allWaiting)
    this.#allChanged.add(quarterOf(when)).add(quarterOf(this.#clock))
  }

  #isShortAbandon(event: CallAbandon): boolean {
    const seconds = this.settings.queueCounting?.(event.queue).shortAbandonSeconds ?? 0
    return seconds > 0 && event.waitMs <= seconds * 1000
  }

  #end(event: CallEnd): void {
    const key = visitKey(event.queue, event.callId)
    const visit = this.#visits.get(key)

    if (visit?.ended) return
    if (visit !== undefined) visit.ended = true

    const handleMs = event.talkMs + event.holdMs + event.wrapMs
    for (const bucket of this.#buckets(this.#queue(event.queue), event.ts)) {
      bucket.handled += 1
      bucket.handleMs += handleMs
    }
  }

  /**
   * The quarters changed since the last call, and forgets them: the history writes these.
   * A quarter that changes again is handed out again.
   */
  takeChangedQuarters(): ChangedQuarter[] {
    const out: ChangedQuarter[] = []
    for (const [queue, state] of this.#queues) {
      for (const start of state.changed) out.push({ queue, start })
      state.changed.clear()
    }
    for (const [queue, starts] of this.#prunedChanged) {
      for (const start of starts) out.push({ queue, start })
    }
    this.#prunedChanged.clear()
    for (const start of this.#allChanged) out.push({ queue: null, start })
    this.#allChanged.clear()
    return out
  }

  /** The counters of the quarter of `queue` starting at `start`; undefined when not held. */
  quarterCounters(queue: string, start: number): Counters | undefined {
    return this.#queues.get(queue)?.quarters.peek(start)
  }

  /**
   * What changed since the last call in the queues this engine counts, of those `which`
   * picks (all by default); the others' changes wait for a later call.
   */
  takeCopies(which: (queue: string) => boolean = () => true): QueueCopy[] {
    const out: QueueCopy[] = []
    for (const [name, state] of this.#queues) {
      if (!state.dirty || !this.owns(name) || !which(name)) continue
      out.push(state.takeCopy(name, this.live(name)))
    }
    return out
  }

  /** Sets the buckets of queues counted elsewhere to what their owner sent. */
  restoreCopies(copies: readonly QueueCopy[]): void {
    for (const copy of copies) {
      if (this.owns(copy.queue)) continue
      const state = this.#queue(copy.queue)
      const before = state.waitingCount
      state.restore(copy)
      const moved = state.waitingCount - before
      if (moved !== 0) this.#waitingMoved(moved, this.#clock)
    }
  }

  /** Sends `queue` whole with the next copies (a send of it was refused, say). */
  resendWhole(queue: string): void {
    this.#queues.get(queue)?.touchAll()
  }

  /**
   * Stops counting `queue` from events: its figures stay as they are until its new owner's
   * copies set them. Its visits are forgotten, so that no SL miss is counted here again.
   */
  release(queue: string): void {
    const state = this.#queues.get(queue)
    if (state === undefined || state.copied !== null) return

    state.copied = this.live(queue)
    state.waiting.clear()
    for (const [key, visit] of this.#visits) if (visit.queue === queue) this.#visits.delete(key)
  }

  /**
   * Takes `queues` over from `counted`, an engine that read their events again from the
   * stream: this engine counts them from now on. Nothing of them was sent from there, so
   * the next copies send them whole, and the history writes all their quarters again.
   */
  adopt(counted: Engine, queues: readonly string[]): void {
    for (const name of queues) {
      const state = counted.#queues.get(name)
      if (state === undefined) continue
      const before = this.#queues.get(name)?.waitingCount ?? 0

      this.#queues.set(name, state)
      for (const [key, visit] of counted.#visits) {
        if (visit.queue === name) this.#visits.set(key, visit)
      }
      const moved = state.waitingCount - before
      if (moved !== 0) this.#waitingMoved(moved, this.#clock)
    }
    this.#countOverdueCalls()
  }

  #countOverdueCalls(): void {
    let next = Infinity

    for (const state of this.#queues.values()) {
      for (const visit of state.waiting.values()) {
        if (visit.slAt !== null) continue

        const deadline = visit.enteredAt + this.thresholdMsOf(visit.queue)
        if (deadline <= this.#clock) this.#countMiss(visit)
        else next = Math.min(next, deadline)
      }
    }
    this.#nextDeadline = next
  }

  /** The minute and quarter buckets an event at `ts` counts in; none if already retired. */
  #buckets(state: QueueState, ts: number): Counters[] {
    const retain = this.settings.retainMs
    const out: Counters[] = []

    // Noted even when too old to count here: the history counts it again from the stream.
    state.touch(ts)
    if (retain === null || ts >= this.#clock - retain) out.push(state.quarters.at(ts))
    if (retain === null || ts >= this.#clock - MINUTE_RETAIN_MS) out.push(state.minutes.at(ts))
    return out
  }

  #queue(name: string): QueueState {
    let state = this.#queues.get(name)
    if (state === undefined) {
      state = new QueueState()
      this.#queues.set(name, state)
    }
    return state
  }

  #prune(): void {
    const clock = this.#clock
    const retain = this.settings.retainMs

    for (const [key, visit] of this.#visits) {
      if (visit.leftAt !== null && visit.leftAt < clock - VISIT_RETAIN_MS) this.#visits.delete(key)
    }

    for (const [name, state] of this.#queues) {
      for (const [key, visit] of state.waiting) {
        if (visit.enteredAt >= clock - this.settings.maxWaitMs) continue
        visit.leftAt = clock
        this.#setWaiting(state, key, null, clock)
      }
      if (retain === null) continue

      state.minutes.prune(clock - MINUTE_RETAIN_MS)
      state.quarters.prune(clock - retain)
      state.peaks.prune(clock - retain)
      if (state.quarters.size > 0 || state.waitingCount > 0) continue
      this.#queues.delete(name)
      if (state.changed.size === 0) continue
      const kept = this.#prunedChanged.get(name)
      if (kept === undefined) this.#prunedChanged.set(name, state.changed)
      else for (const start of state.changed) kept.add(start)
    }
  }
}

function quarterOf(ts: number): number {
  return ts - (ts % QUARTER_MS)
}

function visitKey(queue: string, callId: string): string {
  return `${queue}\u0000${callId}`
}

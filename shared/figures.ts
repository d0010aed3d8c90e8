/**
 * Queue figures: the additive counters the engine keeps per time bucket, and the ratios
 * derived from them. Definitions follow the team's domain spec (docs/domain.md):
 * service level = answered within T ÷ offered, where a call is offered at its SL event.
 */

/** Additive per-bucket counters. Sums of buckets are counters of the union of the buckets. */
export interface Counters {
  /** Calls whose SL event fell in the bucket: left the queue, or still waiting as wait passed T. */
  offered: number
  /** Offered calls answered with wait ≤ T, counted at the answer. */
  answeredWithinThreshold: number
  /** Calls answered in the bucket, whatever their wait. */
  answered: number
  /** Sum of the waits of the answered calls, for ASA. */
  answerWaitMs: number
  abandoned: number
  abandonedWithinThreshold: number
  /** Left unanswered without hanging up (timeout, key press, empty queue). */
  exited: number
  /** Calls whose handling ended in the bucket, for AHT. */
  handled: number
  handleMs: number
}

export const COUNTER_KEYS = [
  'offered',
  'answeredWithinThreshold',
  'answered',
  'answerWaitMs',
  'abandoned',
  'abandonedWithinThreshold',
  'exited',
  'handled',
  'handleMs',
] as const satisfies readonly (keyof Counters)[]

export function emptyCounters(): Counters {
  return {
    offered: 0,
    answeredWithinThreshold: 0,
    answered: 0,
    answerWaitMs: 0,
    abandoned: 0,
    abandonedWithinThreshold: 0,
    exited: 0,
    handled: 0,
    handleMs: 0,
  }
}

/** Adds `from` into `into` and returns `into`. */
export function addCounters(into: Counters, from: Counters): Counters {
  for (const key of COUNTER_KEYS) into[key] += from[key]
  return into
}

/** Live state of a queue at one instant; not additive over time. */
export interface LiveQueue {
  waiting: number
  /** Time the oldest waiting call entered, epoch ms, or null when nobody waits. */
  oldestEnteredAt: number | null
}

/** What the wall and the API show for one queue (or all queues) over one window. */
export interface Figures {
  offered: number
  answered: number
  abandoned: number
  exited: number
  answeredWithinThreshold: number
  handled: number
  /** 0–1; null when nothing was offered. */
  serviceLevel: number | null
  /** 0–1; null when nothing was offered. */
  abandonRate: number | null
  /** 0–1 (接通率); null when nothing was offered. */
  answerRate: number | null
  /** Average speed of answer in seconds; null when nothing was answered. */
  asa: number | null
  /** Average handle time in seconds; null when nothing was handled. */
  aht: number | null
  /** Calls in the queue now (ringing an agent included); null in historical reports. */
  waiting: number | null
  /** Seconds the oldest waiting call has waited at asOf; null when nobody waits. */
  longestWait: number | null
}

function ratio(numerator: number, denominator: number): number | null {
  return denominator > 0 ? numerator / denominator : null
}

/**
 * Turns counters into figures. `live` is omitted for historical figures, where calls
 * waiting has no meaning.
 */
export function deriveFigures(c: Counters, live?: LiveQueue, asOf?: number): Figures {
  const oldest = live?.oldestEnteredAt ?? null
  const longestWait =
    oldest === null || asOf === undefined ? null : Math.max(0, (asOf - oldest) / 1000)

  return {
    offered: c.offered,
    answered: c.answered,
    abandoned: c.abandoned,
    exited: c.exited,
    answeredWithinThreshold: c.answeredWithinThreshold,
    handled: c.handled,
    serviceLevel: ratio(c.answeredWithinThreshold, c.offered),
    abandonRate: ratio(c.abandoned, c.offered),
    answerRate: ratio(c.answered, c.offered),
    asa: c.answered > 0 ? c.answerWaitMs / c.answered / 1000 : null,
    aht: c.handled > 0 ? c.handleMs / c.handled / 1000 : null,
    waiting: live ? live.waiting : null,
    longestWait,
  }
}

/**
 * Queue figures: the additive counters the engine keeps per time bucket, and the ratios
 * derived from them. Definitions follow the team's domain spec (docs/domain.md):
 * service level = answered within T ÷ offered, where a call is offered at its SL event.
 */
import type { SlVariant } from './settings.ts'
import { serviceLevelParts } from './sl-variants.ts'

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
  /** Abandons with wait ≤ the queue's short-abandon seconds S; none while S is 0. */
  abandonedShort: number
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
  'abandonedShort',
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
    abandonedShort: 0,
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
  /** Abandons with wait ≤ S, left out of the abandon rate (and of SL under V5). */
  abandonedShort: number
  handled: number
  /** Numerator and denominator of the service level under the queue's formula variant. */
  serviceLevelMet: number
  serviceLevelOffered: number
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
  /** What the service level is judged by: T in seconds, target 0–1 and formula variant. */
  threshold?: number
  target?: number
  variant?: SlVariant
  /** S in seconds (0: off), when the rule names it: what `abandonedShort` was counted by. */
  shortAbandon?: number
}

/** The settings a figure is judged by; without them, V2 and no threshold or target. */
export interface FigureRule {
  thresholdSeconds: number
  /** 0–1. */
  target: number
  variant: SlVariant
  /**
   * S, which counts short abandons rather than judges them; absent for a total of queues
   * counted by different S, where no one S says what the sum means.
   */
  shortAbandonSeconds?: number
}

function ratio(numerator: number, denominator: number): number | null {
  return denominator > 0 ? numerator / denominator : null
}

/**
 * Turns counters into figures. `live` is omitted for historical figures, where calls
 * waiting has no meaning.
 */
export function deriveFigures(
  c: Counters,
  live?: LiveQueue,
  asOf?: number,
  rule?: FigureRule,
): Figures {
  const oldest = live?.oldestEnteredAt ?? null
  const longestWait =
    oldest === null || asOf === undefined ? null : Math.max(0, (asOf - oldest) / 1000)
  const sl = serviceLevelParts(c, rule?.variant ?? 'V2')
  // Short abandons leave both sides of the abandon rate (kpi-reference.md §2).
  const abandonOffered = c.offered - c.abandonedShort

  return {
    offered: c.offered,
    answered: c.answered,
    abandoned: c.abandoned,
    exited: c.exited,
    answeredWithinThreshold: c.answeredWithinThreshold,
    abandonedShort: c.abandonedShort,
    handled: c.handled,
    serviceLevelMet: sl.met,
    serviceLevelOffered: sl.offered,
    serviceLevel: ratio(sl.met, sl.offered),
    abandonRate: ratio(c.abandoned - c.abandonedShort, abandonOffered),
    answerRate: ratio(c.answered, c.offered),
    asa: c.answered > 0 ? c.answerWaitMs / c.answered / 1000 : null,
    aht: c.handled > 0 ? c.handleMs / c.handled / 1000 : null,
    waiting: live ? live.waiting : null,
    longestWait,
    ...(rule === undefined
      ? {}
      : { threshold: rule.thresholdSeconds, target: rule.target, variant: rule.variant }),
    ...(rule?.shortAbandonSeconds === undefined ? {} : { shortAbandon: rule.shortAbandonSeconds }),
  }
}

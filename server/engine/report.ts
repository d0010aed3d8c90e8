/**
 * The daily interval report supervisors export: per local day, each queue's and the
 * total's figures for the day and for every interval of it. Built by the same engine as
 * the live wall, from a whole file of events.
 */
import { DateTime } from 'luxon'
import type { CanonicalEvent } from '../../shared/events.ts'
import {
  addCounters,
  deriveFigures,
  emptyCounters,
  type Counters,
  type FigureRule,
  type Figures,
} from '../../shared/figures.ts'
import {
  dayLabel,
  dayStartOf,
  MINUTE_MS,
  nextDayStart,
  type TimeSettings,
} from '../../shared/windows.ts'
import { Engine, ENGINE_DEFAULTS } from './engine.ts'
import { totalRule } from './total-rule.ts'

export interface IntervalFigures {
  /** Local start time, "HH:mm", and the same instant as an ISO timestamp with offset. */
  start: string
  startsAt: string
  queues: Record<string, Figures>
  total: Figures
}

export interface DayReport {
  date: string
  queues: Record<string, Figures>
  total: Figures
  intervals: IntervalFigures[]
}

export interface Report {
  tz: string
  threshold: number
  intervalMinutes: number
  days: DayReport[]
}

export interface ReportOptions {
  time: TimeSettings
  thresholdSeconds: number
  /** Service-level target, 0–1; given, the figures carry it with T, S = 0 and V2. */
  target?: number
  /**
   * Calls still waiting at the end of the file are judged at the end of its last day,
   * or at `now` when that day is not over yet, which is what the live wall shows.
   */
  now: number
}

export function buildReport(events: readonly CanonicalEvent[], options: ReportOptions): Report {
  const engine = new Engine({
    ...ENGINE_DEFAULTS,
    thresholdSeconds: options.thresholdSeconds,
    time: options.time,
    retainMs: null,
    ...(options.target === undefined ? {} : { figureRule: () => ruleOf(options) }),
  })
  const ordered = [...events].sort((a, b) => a.ts - b.ts)

  for (const event of ordered) engine.apply(event)

  const last = ordered.at(-1)
  if (last !== undefined) {
    const lastDayEnd = nextDayStart(dayStartOf(last.ts, options.time), options.time)
    engine.advance(Math.min(lastDayEnd, options.now))
  }

  const dayStarts = new Set(engine.quarterStarts().map((ts) => dayStartOf(ts, options.time)))
  const days = [...dayStarts].sort((a, b) => a - b).map((day) => reportDay(engine, day))

  return {
    tz: options.time.tz,
    threshold: options.thresholdSeconds,
    intervalMinutes: options.time.intervalMinutes,
    days,
  }
}

/**
 * Where a day's quarters are read from: the engine, or a past day read from the history.
 */
export interface QuarterSource {
  readonly settings: {
    readonly time: TimeSettings
    /** Each queue's formula, target and T; V2 for all without it. */
    readonly figureRule?: (queue: string | null) => FigureRule
  }
  queueNames(): string[]
  /** Adds the quarters of `queue` starting in [start, end] into `into`. */
  sumQueue(into: Counters, queue: string, start: number, end: number, rolling: false): Counters
}

// A file is counted without short abandons (S = 0), as a server without stored settings.
function ruleOf(options: ReportOptions): FigureRule {
  const { thresholdSeconds, target = 0 } = options
  return { thresholdSeconds, target, variant: 'V2', shortAbandonSeconds: 0 }
}

/** One day's figures and intervals; `queues` limits them (and the total) to those named. */
export function reportDay(
  engine: QuarterSource,
  dayStart: number,
  queues?: readonly string[],
): DayReport {
  const time = engine.settings.time
  const dayEnd = nextDayStart(dayStart, time)
  const length = time.intervalMinutes * MINUTE_MS
  const intervals: IntervalFigures[] = []

  for (let start = dayStart; start < dayEnd; start += length) {
    const local = DateTime.fromMillis(start, { zone: time.tz })
    intervals.push({
      start: local.toFormat('HH:mm'),
      startsAt: local.toISO() ?? '',
      ...figuresBetween(engine, start, start + length, queues),
    })
  }

  const day = figuresBetween(engine, dayStart, dayEnd, queues)
  return { date: dayLabel(dayStart, time), ...day, intervals }
}

/** Figures over [start, end), both on quarter-hour boundaries. */
function figuresBetween(
  engine: QuarterSource,
  start: number,
  end: number,
  only?: readonly string[],
) {
  const total = emptyCounters()
  const queues: Record<string, Figures> = {}
  const known = new Set(engine.queueNames())
  const rule = engine.settings.figureRule
  const names = only === undefined ? [...known] : only.filter((name) => known.has(name))

  for (const name of names) {
    // Quarter buckets are summed by start, and the last one starting before `end` is in.
    const counters = engine.sumQueue(emptyCounters(), name, start, end - 1, false)
    queues[name] = deriveFigures(counters, undefined, undefined, rule?.(name))
    addCounters(total, counters)
  }
  const judged = rule && totalRule(rule, names)
  return { queues, total: deriveFigures(total, undefined, undefined, judged) }
}

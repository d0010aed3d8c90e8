/**
 * Today's figures per reporting interval, as GET /api/v1/intervals/today serves them to the
 * managers' charts: the same sums of quarter-hour buckets as the `report` command's.
 */
import type { Figures } from './figures.ts'

export interface IntervalRow {
  /** Epoch ms the interval starts at, and its local start "HH:mm". */
  at: number
  start: string
  queues: Record<string, Figures>
  total: Figures
}

export interface IntervalsToday {
  asOf: number
  /** Local date of the day, YYYY-MM-DD, and its bounds in epoch ms. */
  date: string
  dayStart: number
  dayEnd: number
  tz: string
  intervalMinutes: number
  /** Service-level threshold T in seconds and target 0–1. */
  threshold: number
  target: number
  /** The day so far, per queue and in total: the sum of the intervals. */
  day: { queues: Record<string, Figures>; total: Figures }
  /** Intervals that have begun, in order; the last one is still running. */
  intervals: IntervalRow[]
  /** The same weekday a week before, from the history; null when it does not hold it. */
  lastWeek: LastWeek | null
}

/** A past day to compare with: its figures and all of its intervals. */
export interface LastWeek {
  date: string
  dayStart: number
  day: { queues: Record<string, Figures>; total: Figures }
  intervals: IntervalRow[]
}

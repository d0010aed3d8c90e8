/**
 * Today per interval for the managers' staffing charts (GET /api/v1/intraday): calls
 * waiting (the most at once, and at the interval's end) and the agents' occupancy.
 */

export interface IntradayRow {
  /** Epoch ms the interval starts at, and its local start "HH:mm". */
  at: number
  start: string
  /** The most calls waiting at once in the interval; null where the scope hides it. */
  waitingPeak: number | null
  /** Calls waiting when the interval ended (now, for the one still running). */
  waitingAtEnd: number | null
  /** The agents' handle and available time in the interval, and handle ÷ both (0–1). */
  handleMs: number
  availableMs: number
  occupancy: number | null
}

export interface Intraday {
  asOf: number
  date: string
  dayStart: number
  tz: string
  intervalMinutes: number
  /** The queue asked for; null for all queues (of the caller's scope). */
  queue: string | null
  /** How many agents the occupancy is over: those seen in the queue, or all. */
  agents: number
  /** Intervals that have begun, in order; the last one is still running. */
  intervals: IntradayRow[]
}

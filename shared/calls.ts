/**
 * The calls behind a queue's service level (GET /api/v1/calls): each visit of the window
 * with what it counts for, and the totals, which are the figures the wall shows.
 */
import type { SlVariant } from './settings.ts'
import type { WindowName } from './windows.ts'

export type CallOutcome = 'answered' | 'abandoned' | 'left' | 'waiting'

/**
 * How a visit counts in the window's service level: met (numerator and denominator),
 * missed (denominator only), pending (still waiting within T, not counted yet), earlier
 * (counted in a window before this one; the visit is here for its answer or abandon),
 * excluded (left out by the queue's formula, e.g. a short abandon under V5).
 */
export type SlCount = 'met' | 'missed' | 'pending' | 'earlier' | 'excluded'

export interface CallRow {
  callId: string
  /** Epoch ms the visit entered the queue, and left it (null while waiting). */
  enteredAt: number
  leftAt: number | null
  outcome: CallOutcome
  /** Wait in seconds: to the answer or leaving, or so far while still waiting. */
  waitSeconds: number
  sl: SlCount
  /** When its SL event fell (answer within T, or the moment its wait passed T). */
  slAt: number | null
}

export interface CallTotals {
  /** The SL denominator and numerator, under the queue's formula. */
  offered: number
  met: number
  answered: number
  abandoned: number
  left: number
  waiting: number
}

export interface CallList {
  queue: string
  window: WindowName
  windowStart: number
  windowLabel: string
  asOf: number
  /** The site's time zone, for showing when calls entered. */
  tz: string
  /** The last stream entry the list and the wall's figures were both computed to. */
  streamId: string
  threshold: number
  /** The queue's service-level formula (kpi-reference.md §1.2). */
  variant: SlVariant
  /** Every visit of the window, counted; `calls` holds the newest `calls.length` of them. */
  totals: CallTotals
  /** The same figures as the wall's snapshot at `streamId`, for the reader to compare. */
  wall: CallTotals
  count: number
  calls: CallRow[]
}

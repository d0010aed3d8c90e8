/**
 * Schedule adherence and conformance of one agent over a stretch of time (today so far),
 * and real-time adherence now. Definitions: docs/domain.md and kpi-reference.md §6.
 *
 * - Adherence = 1 − out-of-adherence time ÷ scheduled time. At each instant the agent is in
 *   adherence when its state is one the scheduled activity allows. Within an activity's
 *   tolerance either side of its start or end, the states of the activity before or after
 *   it (or logged out, off shift) fit too: a login 90 s late with 2 min tolerance is in.
 *   Out-of-adherence stretches shorter than the exception threshold are ignored.
 * - Work while nothing is scheduled is ignored, or, with workingOutsideShiftIsException,
 *   counted as out of adherence and as scheduled time (Genesys Cloud's setting).
 * - Conformance = time in on-queue states ÷ scheduled on-queue time, anywhere in the stretch.
 */
import type { AdherenceStatus, AgentAdherence } from '../../shared/agent-protocol.ts'
import { ON_QUEUE_STATES } from '../../shared/agent-figures.ts'
import type { Segment } from './agent-ledger.ts'
import { isAllowed, type AgentRules } from './agent-rules.ts'

/** One activity of an agent's schedule, in epoch ms. */
export interface ScheduledActivity {
  activity: string
  start: number
  end: number
}

export interface AdherenceInput {
  /** The agent's state changes in time order; before the first the agent was logged out. */
  segments: readonly Segment[]
  /** The agent's activities in time order, not overlapping. */
  activities: readonly ScheduledActivity[]
  rules: AgentRules
  from: number
  to: number
}

/** A stretch in which neither the state nor the schedule changes. */
interface Piece {
  start: number
  end: number
  status: AdherenceStatus
  activity: string | null
  /** Counts towards scheduled time (and, when out, towards out-of-adherence time). */
  counted: boolean
}

export function computeAdherence(input: AdherenceInput): AgentAdherence {
  const pieces = splitIntoPieces(input)
  const exceptionMs = input.rules.exceptionSeconds * 1000
  let scheduledMs = 0
  let outMs = 0
  let runMs = 0

  for (const [index, piece] of pieces.entries()) {
    const length = piece.end - piece.start
    if (piece.counted) scheduledMs += length
    if (piece.status !== 'out' || !piece.counted) continue

    // A run of out-of-adherence pieces counts only once it is long enough, then whole.
    runMs += length
    const next = pieces[index + 1]
    const runGoesOn = next?.status === 'out' && next.counted && next.start === piece.end
    if (runGoesOn) continue
    if (runMs >= exceptionMs) outMs += runMs
    runMs = 0
  }

  const { onQueueScheduledMs, onQueueWorkedMs } = onQueueTimes(input)
  const now = currentStatus(pieces, input.to)

  return {
    ...now,
    adherence: scheduledMs > 0 ? Math.max(0, 1 - outMs / scheduledMs) : null,
    conformance: onQueueScheduledMs > 0 ? onQueueWorkedMs / onQueueScheduledMs : null,
    scheduledMs,
    outMs,
    onQueueScheduledMs,
    onQueueWorkedMs,
  }
}

function splitIntoPieces({ segments, activities, rules, from, to }: AdherenceInput): Piece[] {
  const cuts = new Set<number>([from, to])
  for (const segment of segments) cuts.add(segment.start)
  for (const { activity, start, end } of activities) {
    const tolerance = (rules.activities[activity]?.toleranceSeconds ?? 0) * 1000
    for (const cut of [start - tolerance, start, start + tolerance]) cuts.add(cut)
    for (const cut of [end - tolerance, end, end + tolerance]) cuts.add(cut)
  }

  const points = [...cuts].filter((cut) => cut >= from && cut <= to).sort((a, b) => a - b)
  const pieces: Piece[] = []
  // Pieces go forward in time, so the segment in force only ever moves forward too.
  let current = -1

  for (let index = 0; index + 1 < points.length; index++) {
    const start = points[index] as number
    const end = points[index + 1] as number
    while ((segments[current + 1]?.start ?? Infinity) <= start) current += 1

    pieces.push({ start, end, ...judge(start, segments[current], activities, rules) })
  }
  return pieces
}

/** Whether the agent is in adherence at `at`, and whether that instant counts. */
function judge(
  at: number,
  segment: Segment | undefined,
  activities: readonly ScheduledActivity[],
  rules: AgentRules,
): Omit<Piece, 'start' | 'end'> {
  const state = segment?.state ?? 'logged_out'
  const reason = segment?.reason ?? null
  const fits = (activity: ScheduledActivity | undefined) => {
    // Off shift (no activity) only logged out fits.
    if (activity === undefined) return state === 'logged_out'
    const rule = rules.activities[activity.activity]
    return rule !== undefined && isAllowed(rule, state, reason)
  }
  const tolerated = activities.some((activity, index) => {
    const tolerance = (rules.activities[activity.activity]?.toleranceSeconds ?? 0) * 1000
    return tolerance > 0 && fitsNear(activities, index, at, tolerance, fits)
  })

  const scheduled = activities.find((activity) => activity.start <= at && at < activity.end)
  if (scheduled !== undefined) {
    const inAdherence = fits(scheduled) || tolerated
    return { status: inAdherence ? 'in' : 'out', activity: scheduled.activity, counted: true }
  }

  const working = state !== 'logged_out' && !tolerated
  if (working && rules.workingOutsideShiftIsException) {
    return { status: 'out', activity: null, counted: true }
  }
  return { status: 'unscheduled', activity: null, counted: false }
}

/**
 * Within `tolerance` either side of an activity's start, the states of the activity and of
 * what comes before it both fit (a late return from break, an early login); around its
 * end, those of the activity and of what follows.
 */
function fitsNear(
  activities: readonly ScheduledActivity[],
  index: number,
  at: number,
  tolerance: number,
  fits: (activity: ScheduledActivity | undefined) => boolean,
): boolean {
  const activity = activities[index] as ScheduledActivity
  const previous = activities[index - 1]
  const next = activities[index + 1]
  const near = (edge: number) => at >= edge - tolerance && at < edge + tolerance

  if (near(activity.start)) {
    const before = previous?.end === activity.start ? previous : undefined
    if (fits(activity) || fits(before)) return true
  }
  if (near(activity.end)) {
    const after = next?.start === activity.end ? next : undefined
    if (fits(activity) || fits(after)) return true
  }
  return false
}

function onQueueTimes({ segments, activities, rules, from, to }: AdherenceInput) {
  let onQueueScheduledMs = 0
  for (const { activity, start, end } of activities) {
    if (rules.activities[activity]?.onQueue !== true) continue
    onQueueScheduledMs += Math.max(0, Math.min(end, to) - Math.max(start, from))
  }

  let onQueueWorkedMs = 0
  for (const [index, segment] of segments.entries()) {
    if (!ON_QUEUE_STATES.includes(segment.state)) continue
    const end = segments[index + 1]?.start ?? to
    onQueueWorkedMs += Math.max(0, Math.min(end, to) - Math.max(segment.start, from))
  }
  return { onQueueScheduledMs, onQueueWorkedMs }
}

/** The status at the end of the stretch, and since when it has held without a break. */
function currentStatus(pieces: readonly Piece[], to: number) {
  const last = pieces.at(-1)
  if (last === undefined) return { activity: null, status: 'unscheduled' as const, since: to }

  let since = last.start
  for (let index = pieces.length - 2; index >= 0; index--) {
    const piece = pieces[index] as Piece
    if (piece.status !== last.status || piece.end !== since) break
    since = piece.start
  }
  return { activity: last.activity, status: last.status, since }
}

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
import type { AgentRules } from './agent-rules.ts'

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

/** How one stretch (state and schedule both unchanged) is judged. */
interface Verdict {
  status: AdherenceStatus
  activity: string | null
  /** Counts towards scheduled time (and, when out, towards out-of-adherence time). */
  counted: boolean
}

/** The rules of each activity in a form that answers "does this state fit" quickly. */
interface CompiledActivity {
  /** `state` and `state:reason` tokens, reasons lower-cased. */
  allowed: Set<string>
  toleranceMs: number
}

/** The state in force, as the two tokens it can match. */
interface StateKey {
  state: string
  withReason: string | null
}

const compiledRules = new WeakMap<AgentRules, Map<string, CompiledActivity>>()

/**
 * The board judges every agent's day every second, so this is one pass over the day's
 * stretches in time order, keeping sums and the run in progress, not a list of stretches.
 */
export function computeAdherence(input: AdherenceInput): AgentAdherence {
  const { segments, activities, rules, to } = input
  const judge = judgeWith(activities, compile(rules), rules.workingOutsideShiftIsException)
  const exceptionMs = rules.exceptionSeconds * 1000
  let scheduledMs = 0
  let outMs = 0
  /** The run of counted out-of-adherence time in progress. */
  let outRunMs = 0
  /** The verdict of the latest stretch, and since when it has held. */
  let now: Verdict = { status: 'unscheduled', activity: null, counted: false }
  let since = to

  const points = cutPoints(input)
  let segment = -1
  let key = stateKey(undefined)
  let activity = 0
  for (let index = 0; index + 1 < points.length; index++) {
    const start = points[index] as number
    const end = points[index + 1] as number
    if (end <= start) continue

    // Reads stay inside the arrays: a read past the end is slow in V8, and this runs for
    // every stretch of every agent each second.
    if (segment + 1 < segments.length && (segments[segment + 1] as Segment).start <= start) {
      while (segment + 1 < segments.length && (segments[segment + 1] as Segment).start <= start)
        segment += 1
      key = stateKey(segments[segment])
    }
    while (activity < activities.length && (activities[activity] as ScheduledActivity).end <= start)
      activity += 1
    const current = activity < activities.length ? activities[activity] : undefined
    const scheduled = current !== undefined && current.start <= start ? activity : -1
    const verdict = judge(start, key, scheduled)
    const length = end - start

    if (verdict.counted) scheduledMs += length
    // A run of out-of-adherence time counts only once it is long enough, then whole.
    if (verdict.status === 'out' && verdict.counted) {
      outRunMs += length
    } else {
      if (outRunMs >= exceptionMs) outMs += outRunMs
      outRunMs = 0
    }

    if (verdict.status !== now.status || since === to) since = start
    now = verdict
  }
  if (outRunMs >= exceptionMs) outMs += outRunMs

  const { onQueueScheduledMs, onQueueWorkedMs } = onQueueTimes(input)
  return {
    activity: now.activity,
    status: now.status,
    since: Math.min(since, to),
    adherence: scheduledMs > 0 ? Math.max(0, 1 - outMs / scheduledMs) : null,
    conformance: onQueueScheduledMs > 0 ? onQueueWorkedMs / onQueueScheduledMs : null,
    scheduledMs,
    outMs,
    onQueueScheduledMs,
    onQueueWorkedMs,
  }
}

/**
 * Where the state or the schedule changes (or a tolerance window opens or closes) within
 * [from, to], in time order; the stretches between them are judged one by one.
 */
function cutPoints({ segments, activities, rules, from, to }: AdherenceInput): number[] {
  const compiled = compile(rules)
  let edges: number[] = []
  let tolerances = false
  for (const { activity, start, end } of activities) {
    const tolerance = compiled.get(activity)?.toleranceMs ?? 0
    edges.push(start, end)
    if (tolerance > 0) {
      tolerances = true
      edges.push(start - tolerance, start + tolerance, end - tolerance, end + tolerance)
    }
  }
  if (tolerances) edges.sort((a, b) => a - b)
  edges = edges.filter((edge) => edge > from && edge < to)

  // Both lists are in time order: merge them rather than sort the day's changes each time.
  const points = [from]
  let next = 0
  for (const { start } of segments) {
    if (start <= from || start >= to) continue
    while (next < edges.length && (edges[next] as number) < start)
      points.push(edges[next++] as number)
    points.push(start)
  }
  while (next < edges.length) points.push(edges[next++] as number)
  points.push(to)
  return points
}

// Parse the rules once per version of them, not once per instant judged.
function compile(rules: AgentRules): Map<string, CompiledActivity> {
  let compiled = compiledRules.get(rules)
  if (compiled !== undefined) return compiled

  compiled = new Map()
  for (const [name, rule] of Object.entries(rules.activities)) {
    const allowed = new Set(rule.allowed.map((token) => foldToken(token)))
    compiled.set(name, { allowed, toleranceMs: rule.toleranceSeconds * 1000 })
  }
  compiledRules.set(rules, compiled)
  return compiled
}

function foldToken(token: string): string {
  const colon = token.indexOf(':')
  return colon < 0 ? token : `${token.slice(0, colon)}:${token.slice(colon + 1).toLowerCase()}`
}

function stateKey(segment: Segment | undefined): StateKey {
  const state = segment?.state ?? 'logged_out'
  const reason = segment?.reason?.trim().toLowerCase()
  return { state, withReason: reason ? `${state}:${reason}` : null }
}

/** Judges instants: in adherence or not, and whether the instant counts. */
function judgeWith(
  activities: readonly ScheduledActivity[],
  compiled: ReadonlyMap<string, CompiledActivity>,
  workingOutsideShiftIsException: boolean,
) {
  const anyTolerance = activities.some((a) => (compiled.get(a.activity)?.toleranceMs ?? 0) > 0)

  const fits = (activity: ScheduledActivity | undefined, key: StateKey) => {
    // Off shift (no activity) only logged out fits.
    if (activity === undefined) return key.state === 'logged_out'
    const allowed = compiled.get(activity.activity)?.allowed
    if (allowed === undefined) return false
    return allowed.has(key.state) || (key.withReason !== null && allowed.has(key.withReason))
  }
  const tolerated = (at: number, key: StateKey) =>
    anyTolerance &&
    activities.some((activity, index) => {
      const tolerance = compiled.get(activity.activity)?.toleranceMs ?? 0
      return tolerance > 0 && fitsNear(activities, index, at, tolerance, (a) => fits(a, key))
    })

  // Verdicts are shared, not made per stretch: a day holds hundreds of stretches per agent.
  const scheduledVerdicts = activities.map(({ activity }) => ({
    in: { status: 'in', activity, counted: true } as const,
    out: { status: 'out', activity, counted: true } as const,
  }))
  const offShiftOut: Verdict = { status: 'out', activity: null, counted: true }
  const unscheduled: Verdict = { status: 'unscheduled', activity: null, counted: false }

  return (at: number, key: StateKey, scheduled: number): Verdict => {
    const activity = activities[scheduled]
    const verdicts = scheduledVerdicts[scheduled]
    if (activity !== undefined && verdicts !== undefined) {
      return fits(activity, key) || tolerated(at, key) ? verdicts.in : verdicts.out
    }

    const working = key.state !== 'logged_out' && !tolerated(at, key)
    return working && workingOutsideShiftIsException ? offShiftOut : unscheduled
  }
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

/**
 * Agent figures: time per state kept in additive buckets, and the ratios derived from them.
 * Definitions follow docs/domain.md and kpi-reference.md §5:
 * occupancy = handle ÷ (handle + available), not-ready in neither;
 * utilisation (the handbook's 工时利用率) = talk ÷ logged-in;
 * handle utilisation = handle ÷ logged-in. Handle = talk + hold + wrap-up.
 */
import type { AGENT_STATES } from './events.ts'

export type AgentStateName = (typeof AGENT_STATES)[number]

/** The states that count as logged in; time is kept for each of them. */
export type TimedState = Exclude<AgentStateName, 'logged_out'>

export const TIMED_STATES = [
  'available',
  'ringing',
  'talking',
  'hold',
  'wrap_up',
  'outbound',
  'not_ready',
] as const satisfies readonly TimedState[]

/** The states an agent takes calls from a queue in: "on queue" for conformance. */
export const ON_QUEUE_STATES: readonly AgentStateName[] = [
  'available',
  'ringing',
  'talking',
  'hold',
  'wrap_up',
]

/** Additive per-bucket counters of one agent (or a sum of agents): ms per state, counts. */
export type AgentCounters = Record<TimedState, number> & {
  /** Calls whose handling ended in the bucket, and their talk + hold + wrap-up, for AHT. */
  handledCalls: number
  handledCallMs: number
  /** Times a queue rang the agent and gave up (queue_log RINGNOANSWER). */
  ringNoAnswer: number
}

export const AGENT_COUNTER_KEYS = [
  ...TIMED_STATES,
  'handledCalls',
  'handledCallMs',
  'ringNoAnswer',
] as const satisfies readonly (keyof AgentCounters)[]

export function emptyAgentCounters(): AgentCounters {
  return {
    available: 0,
    ringing: 0,
    talking: 0,
    hold: 0,
    wrap_up: 0,
    outbound: 0,
    not_ready: 0,
    handledCalls: 0,
    handledCallMs: 0,
    ringNoAnswer: 0,
  }
}

/** Adds `from` into `into` and returns `into`. */
export function addAgentCounters(into: AgentCounters, from: AgentCounters): AgentCounters {
  for (const key of AGENT_COUNTER_KEYS) into[key] += from[key]
  return into
}

export interface AgentFigureOptions {
  /** Count outbound calls as handle time (domain variant). @default false */
  outboundIsHandle: boolean
}

/** What the board and the API show for one agent (or a group) over one window. */
export interface AgentFigures {
  loggedInMs: number
  availableMs: number
  ringingMs: number
  talkMs: number
  holdMs: number
  wrapMs: number
  outboundMs: number
  notReadyMs: number
  /** talk + hold + wrap-up (+ outbound when so configured). */
  handleMs: number
  /** handle ÷ (handle + available), 0–1; null with neither. */
  occupancy: number | null
  /** talk ÷ logged-in (工时利用率, the handbook's), 0–1; null when never logged in. */
  utilisation: number | null
  /** handle ÷ logged-in, 0–1; null when never logged in. */
  handleUtilisation: number | null
  /** Calls whose handling ended in the window. */
  handled: number
  /** Average handle time of those calls in seconds; null when none. */
  aht: number | null
  ringNoAnswer: number
}

function ratio(numerator: number, denominator: number): number | null {
  return denominator > 0 ? numerator / denominator : null
}

export function deriveAgentFigures(c: AgentCounters, options: AgentFigureOptions): AgentFigures {
  const handleMs = c.talking + c.hold + c.wrap_up + (options.outboundIsHandle ? c.outbound : 0)
  const loggedInMs = TIMED_STATES.reduce((sum, state) => sum + c[state], 0)

  return {
    loggedInMs,
    availableMs: c.available,
    ringingMs: c.ringing,
    talkMs: c.talking,
    holdMs: c.hold,
    wrapMs: c.wrap_up,
    outboundMs: c.outbound,
    notReadyMs: c.not_ready,
    handleMs,
    occupancy: ratio(handleMs, handleMs + c.available),
    utilisation: ratio(c.talking, loggedInMs),
    handleUtilisation: ratio(handleMs, loggedInMs),
    handled: c.handledCalls,
    aht: c.handledCalls > 0 ? c.handledCallMs / c.handledCalls / 1000 : null,
    ringNoAnswer: c.ringNoAnswer,
  }
}

/**
 * The agent side of the wire protocol: what GET /api/v1/agents answers and what the agent
 * board receives over WS /ws/agents. The queue wall's messages (protocol.ts) are unchanged.
 */
import type { AgentFigures, AgentStateName } from './agent-figures.ts'
import type { HeartbeatMessage } from './protocol.ts'
import type { WindowName } from './windows.ts'

/** in: doing what the schedule allows; out: not; unscheduled: nothing scheduled now. */
export type AdherenceStatus = 'in' | 'out' | 'unscheduled'

/** Real-time adherence now, and adherence and conformance over today so far. */
export interface AgentAdherence {
  /** Activity scheduled now (on_queue, lunch …); null when nothing is. */
  activity: string | null
  status: AdherenceStatus
  /** Epoch ms the status began (no earlier than the start of today). */
  since: number
  /** 1 − out ÷ scheduled, 0–1; null with nothing scheduled so far today. */
  adherence: number | null
  /** Worked on-queue ÷ scheduled on-queue, 0–1 or more; null with no on-queue scheduled. */
  conformance: number | null
  scheduledMs: number
  /** Out-of-adherence time that counts: stretches at least the exception threshold long. */
  outMs: number
  onQueueScheduledMs: number
  onQueueWorkedMs: number
}

/** A rule the agent breaks now: not ready too long, or out of adherence too long. */
export interface AgentOverrun {
  kind: 'not_ready' | 'adherence'
  /** Epoch ms the state or the out-of-adherence stretch began. */
  since: number
  /** How long it may last before it is an overrun. */
  limitMs: number
}

export interface AgentRow {
  /** Agent id after aliases: `PJSIP/1001` and `Local/1001@agents/n` are both agent 1001. */
  id: string
  name: string
  team: string | null
  /** Queues the agent was seen in (membership, pause, call), sorted. */
  queues: string[]
  state: AgentStateName
  /** Not-ready reason (pause reason) when there is one. */
  reason: string | null
  /** Epoch ms the current state began; null for an agent never seen logged in. */
  since: number | null
  figures: AgentFigures
  adherence: AgentAdherence
  overrun: AgentOverrun | null
}

/** Figures of a set of agents: a team, the agents of a queue, or all agents shown. */
export interface AgentGroup {
  agents: number
  /** Agents logged in now. */
  loggedIn: number
  /** Agents per state now. */
  states: Partial<Record<AgentStateName, number>>
  figures: AgentFigures
  adherence: number | null
  conformance: number | null
}

export interface TeamGroup extends AgentGroup {
  name: string
  leader: string | null
}

export interface AgentSnapshot {
  asOf: number
  window: WindowName
  windowStart: number
  windowLabel: string
  /** Id of the last stream entry included. */
  streamId: string
  /** Version of the teams, roster, rules and schedules the figures were computed with. */
  configVersion: number
  tz: string
  /** The agents asked for, in id order. */
  agents: AgentRow[]
  teams: Record<string, TeamGroup>
  queues: Record<string, AgentGroup>
  total: AgentGroup
}

/** Sent first and whenever the figures change; replaces the previous one whole. */
export interface AgentsMessage extends AgentSnapshot {
  type: 'agents'
}

export type AgentServerMessage = AgentsMessage | HeartbeatMessage

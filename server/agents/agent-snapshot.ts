/**
 * Reads the agent board out of the agent engine and the configuration: each agent's state,
 * figures over the window, adherence today and overrun, and the same figures summed per
 * team, per queue and over all agents shown.
 */
import {
  addAgentCounters,
  deriveAgentFigures,
  emptyAgentCounters,
  type AgentCounters,
  type AgentStateName,
} from '../../shared/agent-figures.ts'
import type {
  AgentAdherence,
  AgentGroup,
  AgentOverrun,
  AgentRow,
  AgentSnapshot,
  TeamGroup,
} from '../../shared/agent-protocol.ts'
import {
  dayLabel,
  dayStartOf,
  describeWindow,
  ROLLING_MINUTES,
  windowRange,
  type TimeSettings,
  type WindowName,
} from '../../shared/windows.ts'
import { computeAdherence, type ScheduledActivity } from './adherence.ts'
import type { AgentConfig } from './agent-config.ts'
import type { AgentEngine } from './agent-engine.ts'
import { notReadyLimitMs, type AgentRules } from './agent-rules.ts'
import { shiftDate } from './schedule-import.ts'

/** Which agents to show: in any of these teams, and seen in any of these queues. */
export interface AgentFilter {
  teams?: readonly string[]
  queues?: readonly string[]
}

/** One agent at one instant, with the counters its figures came from. */
export interface AgentLine {
  row: AgentRow
  counters: AgentCounters
}

export interface AgentBoard {
  asOf: number
  window: WindowName
  windowStart: number
  windowLabel: string
  configVersion: number
  tz: string
  lines: AgentLine[]
}

const byId = new Intl.Collator(undefined, { numeric: true })

/** Every agent known (seen in the events or on the roster), in id order. */
export function readAgentBoard(
  engine: AgentEngine,
  config: AgentConfig,
  time: TimeSettings,
  window: WindowName,
  now: number,
): AgentBoard {
  const { start, end } = windowRange(window, now, time)
  const rolling = ROLLING_MINUTES[window] !== undefined
  const dayStart = dayStartOf(now, time)
  const today = dayLabel(dayStart, time)
  const roster = new Map(config.roster.map((agent) => [agent.id, agent]))
  const ids = [...new Set([...engine.ids(), ...roster.keys()])].sort(byId.compare)

  const lines = ids.map((id) => {
    const record = engine.get(id)
    const member = roster.get(id)
    const counters = engine.sumAgent(emptyAgentCounters(), id, start, end, rolling)
    const state = record?.ledger.state ?? 'logged_out'
    const reason = record?.ledger.reason ?? null
    const since = record?.ledger.since ?? null

    const activities = [
      ...(config.schedules.get(shiftDate(today, -1))?.get(id) ?? []),
      ...(config.schedules.get(today)?.get(id) ?? []),
    ]
    const adherence = computeAdherence({
      segments: record?.ledger.segments ?? [],
      activities: sortByStart(activities),
      rules: config.rules,
      from: dayStart,
      to: now,
    })

    const row: AgentRow = {
      id,
      name: member?.name ?? id,
      team: member?.team ?? null,
      queues: [...(record?.queues ?? [])].sort(byId.compare),
      state,
      reason,
      since,
      figures: deriveAgentFigures(counters, config.rules),
      adherence,
      overrun: findOverrun(state, reason, since, adherence, config.rules, now),
    }
    return { row, counters }
  })

  return {
    asOf: now,
    window,
    windowStart: start,
    windowLabel: describeWindow(window, start, time),
    configVersion: config.version,
    tz: time.tz,
    lines,
  }
}

/** The board for one screen: its agents and the group figures over them. */
export function filterAgentBoard(
  board: AgentBoard,
  config: AgentConfig,
  filter: AgentFilter,
  streamId: string,
): AgentSnapshot {
  const lines = board.lines.filter(({ row }) => matches(row, filter))
  const outbound = { outboundIsHandle: config.rules.outboundIsHandle }

  const teams: Record<string, TeamGroup> = {}
  for (const team of config.teams) {
    const members = lines.filter(({ row }) => row.team === team.id)
    if (members.length === 0 && !(filter.teams ?? []).includes(team.id)) continue

    const group = summarise(members, outbound)
    teams[team.id] = { ...group, name: team.name ?? team.id, leader: team.leader ?? null }
  }

  const queueNames = new Set(filter.queues ?? lines.flatMap(({ row }) => row.queues))
  const queues: Record<string, AgentGroup> = {}
  for (const queue of [...queueNames].sort(byId.compare)) {
    queues[queue] = summarise(
      lines.filter(({ row }) => row.queues.includes(queue)),
      outbound,
    )
  }

  const { lines: _lines, ...meta } = board
  return {
    ...meta,
    streamId,
    agents: lines.map(({ row }) => row),
    teams,
    queues,
    total: summarise(lines, outbound),
  }
}

function matches(row: AgentRow, filter: AgentFilter): boolean {
  if (filter.teams !== undefined && (row.team === null || !filter.teams.includes(row.team)))
    return false
  if (filter.queues !== undefined && !row.queues.some((queue) => filter.queues?.includes(queue)))
    return false
  return true
}

function summarise(lines: readonly AgentLine[], options: { outboundIsHandle: boolean }) {
  const counters = emptyAgentCounters()
  const states: Partial<Record<AgentStateName, number>> = {}
  let scheduled = 0
  let out = 0
  let onQueueScheduled = 0
  let onQueueWorked = 0

  for (const { row, counters: own } of lines) {
    addAgentCounters(counters, own)
    states[row.state] = (states[row.state] ?? 0) + 1
    scheduled += row.adherence.scheduledMs
    out += row.adherence.outMs
    onQueueScheduled += row.adherence.onQueueScheduledMs
    onQueueWorked += row.adherence.onQueueWorkedMs
  }

  return {
    agents: lines.length,
    loggedIn: lines.filter(({ row }) => row.state !== 'logged_out').length,
    states,
    figures: deriveAgentFigures(counters, options),
    adherence: scheduled > 0 ? Math.max(0, 1 - out / scheduled) : null,
    conformance: onQueueScheduled > 0 ? onQueueWorked / onQueueScheduled : null,
  }
}

/** Not ready past its limit comes first (the handbook's rule), then out of adherence. */
function findOverrun(
  state: AgentStateName,
  reason: string | null,
  since: number | null,
  adherence: AgentAdherence,
  rules: AgentRules,
  now: number,
): AgentOverrun | null {
  if (state === 'not_ready' && since !== null) {
    const limitMs = notReadyLimitMs(rules, reason)
    if (now - since > limitMs) return { kind: 'not_ready', since, limitMs }
  }

  const limitMs = rules.adherenceAlertMinutes * 60_000
  if (adherence.status === 'out' && now - adherence.since > limitMs) {
    return { kind: 'adherence', since: adherence.since, limitMs }
  }
  return null
}

function sortByStart(activities: ScheduledActivity[]): ScheduledActivity[] {
  return activities.sort((a, b) => a.start - b.start)
}

/**
 * Alerts as the server, the wall and webhook receivers see them: the rules' names, the
 * incident record, and the today's-service-level series the wall draws its sparklines from.
 * Rules and defaults follow docs/domain.md, "Alerts".
 */
import type { WindowName } from './windows.ts'

export const SEVERITIES = ['info', 'warning', 'critical'] as const
export type Severity = (typeof SEVERITIES)[number]

/** Rules judged per queue, and for all queues together. */
export const QUEUE_RULES = ['serviceLevel', 'callsWaiting', 'longestWait', 'abandonRate'] as const
export type QueueRuleName = (typeof QUEUE_RULES)[number]

export const RULE_NAMES = [...QUEUE_RULES, 'feedSilent', 'agentNotReady', 'agentAdherence'] as const
export type RuleName = (typeof RULE_NAMES)[number]

/**
 * What an incident is about: one queue, all queues together, the event feed of the whole
 * site, or one agent.
 */
export type AlertScope = 'queue' | 'all' | 'site' | 'agent'

/** The unit of an incident's values: percent 0–100, calls, seconds or minutes. */
export type AlertUnit = 'percent' | 'calls' | 'seconds' | 'minutes'

/** One breach of one rule for one subject, from the moment it fired until it recovered. */
export interface Incident {
  id: string
  /** Rule and subject; at most one incident per key is open at a time. */
  key: string
  rule: RuleName
  scope: AlertScope
  /** The queue name or agent id; null for all queues and for the feed. */
  subject: string | null
  /** How people call the subject: the queue's or agent's name, "All queues", "Event feed". */
  label: string
  severity: Severity
  state: 'open' | 'resolved'
  unit: AlertUnit
  /** The window the value is computed over, for rules that have one. */
  window: WindowName | null
  /** The level that fires the rule and the level it must recover past to clear. */
  fire: number
  clear: number
  /** Epoch ms the condition began to hold: the start of the pending period. */
  breachSince: number
  openedAt: number
  /** The value when the incident opened. */
  value: number
  acknowledgedAt: number | null
  acknowledgedBy: string | null
  snoozedAt: number | null
  snoozedBy: string | null
  /** Repeat notifications wait until this time (epoch ms). */
  snoozedUntil: number | null
  resolvedAt: number | null
  /** The value that cleared it; null when there was nothing left to judge (no calls). */
  resolvedValue: number | null
  /** Notifications sent for it so far: the opening one and any repeats. */
  notifications: number
  /** When the next repeat is due, if it is not acknowledged by then; null for none. */
  nextRepeatAt: number | null
  /** Raised by every change, so a copy can tell whether it is older than another. */
  rev: number
}

/** How an open incident stands for the people on the floor. */
export type IncidentStatus = 'firing' | 'acknowledged' | 'snoozed'

export function incidentStatus(incident: Incident, now: number): IncidentStatus {
  if (incident.acknowledgedAt !== null) return 'acknowledged'
  if (incident.snoozedUntil !== null && incident.snoozedUntil > now) return 'snoozed'
  return 'firing'
}

/** Key of the incidents of a queue's tile: its name, or null for the all-queues tile. */
export function tileOf(incident: Incident): string | null | undefined {
  if (incident.scope === 'queue') return incident.subject
  if (incident.scope === 'all') return null
  return undefined
}

/** Service level of each quarter hour of today for one queue, and its incidents' times. */
export interface ServiceLevelSeries {
  /** Epoch ms of each quarter's start, and its service level (0–1, null with no calls). */
  points: { at: number; serviceLevel: number | null; offered: number }[]
  /** Incidents of any rule on this queue today: where they opened and closed. */
  incidents: { id: string; rule: RuleName; openedAt: number; resolvedAt: number | null }[]
}

/** GET /api/v1/service-level/today */
export interface ServiceLevelToday {
  asOf: number
  dayStart: number
  /** The start of the next day: where the sparkline's time axis ends. */
  dayEnd: number
  target: number
  queues: Record<string, ServiceLevelSeries>
  /** All queues asked for together. */
  total: ServiceLevelSeries
}

/**
 * Reads the figures of the moment against the rules: for every rule and subject, the value
 * now, whether the rule holds (past its fire level, with enough volume) and whether it has
 * recovered (past its clear level, or nothing left to judge). Pure: the caller supplies the
 * figures and the time, so a test can drive it with a clock of its own.
 */
import { DateTime } from 'luxon'
import type { AgentRow, AgentSnapshot } from '../../shared/agent-protocol.ts'
import {
  QUEUE_RULES,
  type AlertScope,
  type AlertUnit,
  type QueueRuleName,
  type RuleName,
  type Severity,
} from '../../shared/alerts.ts'
import type { Figures } from '../../shared/figures.ts'
import type { Snapshot } from '../../shared/protocol.ts'
import { dayStartOf, type TimeSettings, type WindowName } from '../../shared/windows.ts'
import { notReadyLimitMs, type AgentRules } from '../agents/agent-rules.ts'
import { parseHours, type AgentRule, type FeedRule, type QueueRule } from './alert-rules.ts'
import { queueRules, type RuleBook } from './rule-book.ts'

/** Where the figures come from: the live engine in the server, anything in a test. */
export interface AlertInputs {
  time: TimeSettings
  /** Figures of every queue, and of all queues together, over a window at `now`. */
  snapshot(window: WindowName, now: number): Snapshot
  /** Epoch ms the newest entry reached the event stream; null when none is known. */
  lastArrivalAt(): number | null
  /** Every agent as the board shows them, and the agent rules; null without a board. */
  agents(now: number): { board: AgentSnapshot; rules: AgentRules } | null
}

export interface Judgement {
  key: string
  rule: RuleName
  scope: AlertScope
  subject: string | null
  label: string
  severity: Severity
  unit: AlertUnit
  window: WindowName | null
  fire: number
  clear: number
  pendingMs: number
  /** The value now, in `unit`; null when there is nothing to judge. */
  value: number | null
  breaching: boolean
  recovered: boolean
}

export interface JudgeResult {
  judgements: Judgement[]
  /**
   * Rules whose every subject was judged. An open incident of one of these with no
   * judgement has lost its subject (the agent is no longer not ready, the rule was turned
   * off) and resolves; one of any other rule (no agent board) is left as it is.
   */
  complete: Set<RuleName>
}

export const ALL_QUEUES_LABEL = 'All queues'
export const FEED_LABEL = 'Event feed'

const QUEUE_UNITS: Record<QueueRuleName, AlertUnit> = {
  serviceLevel: 'percent',
  callsWaiting: 'calls',
  longestWait: 'seconds',
  abandonRate: 'percent',
}

export function incidentKey(rule: RuleName, scope: AlertScope, subject: string | null): string {
  return `${rule}|${scope}|${subject ?? ''}`
}

export function judge(book: RuleBook, inputs: AlertInputs, now: number): JudgeResult {
  const judgements: Judgement[] = []
  const complete = new Set<RuleName>([...QUEUE_RULES, 'feedSilent'])
  const snapshots = new Map<WindowName, Snapshot>()
  const snapshot = (window: WindowName) => {
    let found = snapshots.get(window)
    if (found === undefined) snapshots.set(window, (found = inputs.snapshot(window, now)))
    return found
  }

  for (const name of QUEUE_RULES) {
    for (const queue of Object.keys(snapshot('today').queues)) {
      const rule = queueRules(book, queue)[name]
      const figures = rule.enabled ? snapshot(rule.window).queues[queue] : undefined
      if (figures === undefined) continue
      const own = followTarget(book, name, rule, figures)
      judgements.push(judgeQueue(name, own, figures, 'queue', queue))
    }
    const rule = book.allQueues[name]
    if (!rule.enabled) continue
    const total = snapshot(rule.window).total
    judgements.push(judgeQueue(name, followTarget(book, name, rule, total), total, 'all'))
  }

  const agents = inputs.agents(now)
  if (book.feedSilent.enabled) {
    judgements.push(judgeFeed(book.feedSilent, inputs, agents?.board ?? null, now))
  }
  if (agents !== null) {
    for (const row of agents.board.agents) {
      judgements.push(...judgeAgent(book.agents, row, agents.rules, now))
    }
    complete.add('agentNotReady').add('agentAdherence')
  }
  return { judgements, complete }
}

/**
 * A service-level rule left at the site's target (CALLBOARD_TARGET, the built-in rule)
 * fires below each queue's own target from the settings, and clears as far above it.
 * A fire level set apart in the alert rules stays as it was set.
 */
function followTarget(
  book: RuleBook,
  name: QueueRuleName,
  rule: QueueRule,
  figures: Figures,
): QueueRule {
  if (name !== 'serviceLevel' || figures.target === undefined) return rule
  if (rule.fire !== book.targetPercent) return rule

  const fire = Math.round(figures.target * 10_000) / 100
  return { ...rule, fire, clear: Math.min(100, fire + (rule.clear - rule.fire)) }
}

function judgeQueue(
  name: QueueRuleName,
  rule: QueueRule,
  figures: Figures,
  scope: 'queue' | 'all',
  queue: string | null = null,
): Judgement {
  const value = queueValue(name, figures)
  const volume = figures.offered
  // Service level fires low and clears high; the others fire high and clear low.
  const low = name === 'serviceLevel'
  const past = value !== null && (low ? value < rule.fire : value >= rule.fire)

  return {
    ...describe(name, scope, queue, queue ?? ALL_QUEUES_LABEL, rule),
    unit: QUEUE_UNITS[name],
    window: name === 'serviceLevel' || name === 'abandonRate' ? rule.window : null,
    fire: rule.fire,
    clear: rule.clear,
    value,
    breaching: past && volume >= rule.minVolume,
    recovered: value === null || (low ? value >= rule.clear : value <= rule.clear),
  }
}

function queueValue(name: QueueRuleName, figures: Figures): number | null {
  const percent = (ratio: number | null) => (ratio === null ? null : ratio * 100)

  if (name === 'serviceLevel') return percent(figures.serviceLevel)
  if (name === 'abandonRate') return percent(figures.abandonRate)
  if (name === 'callsWaiting') return figures.waiting
  return figures.longestWait ?? 0
}

/**
 * Silence counts only while someone should be sending: with at least `minVolume` agents
 * logged in as the last events left them (a dead feed leaves them logged in) and within
 * the opening hours, if any. Without an agent board, only within configured hours.
 */
function judgeFeed(
  rule: FeedRule,
  inputs: AlertInputs,
  board: AgentSnapshot | null,
  now: number,
): Judgement {
  const last = inputs.lastArrivalAt() ?? dayStartOf(now, inputs.time)
  const silence = Math.max(0, (now - last) / 1000)
  const open = rule.hours.length === 0 || isWithinHours(rule.hours, now, inputs.time.tz)
  const staffed = board === null ? rule.hours.length > 0 : board.total.loggedIn >= rule.minVolume

  return {
    ...describe('feedSilent', 'site', null, FEED_LABEL, rule),
    unit: 'seconds',
    window: null,
    fire: rule.fire,
    clear: rule.clear,
    value: silence,
    breaching: open && staffed && silence >= rule.fire,
    recovered: silence <= rule.clear,
  }
}

function judgeAgent(
  rules: RuleBook['agents'],
  row: AgentRow,
  agentRules: AgentRules,
  now: number,
): Judgement[] {
  const out: Judgement[] = []
  const label = row.name === row.id ? row.id : `${row.name} (${row.id})`
  const over = (since: number, limitMs: number, name: RuleName, rule: AgentRule) => {
    const value = (now - since) / 60_000
    const limit = limitMs / 60_000
    const breaching = now - since > limitMs
    out.push({
      ...describe(name, 'agent', row.id, label, rule),
      unit: 'minutes',
      window: null,
      fire: limit,
      clear: limit,
      value,
      breaching,
      recovered: !breaching,
    })
  }

  if (rules.notReady.enabled && row.state === 'not_ready' && row.since !== null) {
    over(row.since, notReadyLimitMs(agentRules, row.reason), 'agentNotReady', rules.notReady)
  }
  if (rules.adherence.enabled && row.adherence.status === 'out') {
    const limitMs = agentRules.adherenceAlertMinutes * 60_000
    over(row.adherence.since, limitMs, 'agentAdherence', rules.adherence)
  }
  return out
}

function describe(
  rule: RuleName,
  scope: AlertScope,
  subject: string | null,
  label: string,
  fields: { severity: Severity; pendingSeconds: number },
) {
  return {
    key: incidentKey(rule, scope, subject),
    rule,
    scope,
    subject,
    label,
    severity: fields.severity,
    pendingMs: fields.pendingSeconds * 1000,
  }
}

function isWithinHours(hours: readonly string[], now: number, tz: string): boolean {
  const local = DateTime.fromMillis(now, { zone: tz })
  const minute = local.hour * 60 + local.minute

  return hours.some((range) => {
    const { from, to } = parseHours(range)
    return from <= to ? minute >= from && minute < to : minute >= from || minute < to
  })
}

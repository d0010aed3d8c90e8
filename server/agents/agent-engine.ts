/**
 * The agent engine: applies canonical events to one state per agent and to each agent's
 * time ledger. Fed, like the queue engine, only from the Redis stream, and in stream order;
 * what it holds depends on the events alone, not on when they were read.
 *
 * From queue_log it reads ADDMEMBER/REMOVEMEMBER, AGENTLOGIN/AGENTCALLBACKLOGIN and their
 * LOGOFFs, PAUSE/UNPAUSE(ALL) with reason, RINGNOANSWER, PBXware's OUTDIAL … OUT* pairs and
 * QUEUESTART (arriving as `other` events), and CONNECT / COMPLETE* / *TRANSFER (as
 * call.answer and call.end); from other sources, `agent.state`.
 */
import type { CallAnswer, CallEnd, CanonicalEvent, OtherEvent } from '../../shared/events.ts'
import type { AgentCounters } from '../../shared/agent-figures.ts'
import { MINUTE_MS } from '../../shared/windows.ts'
import { AgentLedger } from './agent-ledger.ts'
import { ALL_QUEUES, AgentStatus } from './agent-status.ts'

export interface AgentEngineSettings {
  /** Maps a member name (`PJSIP/1001`) to an agent id (`1001`). */
  resolve(member: string): string
  /** Pause reasons that mean wrap-up (after-call work), compared without case. */
  wrapReasons: readonly string[]
  /** Keep 15-minute buckets and state history this long behind the clock; null: all. */
  retainMs: number | null
  /** The furthest an event may move the clock, as in the queue engine; null for none. */
  clockLimit: (() => number) | null
}

export interface AgentRecord {
  id: string
  status: AgentStatus
  ledger: AgentLedger
  /** Queues the agent was seen in: memberships, pauses, calls. */
  queues: Set<string>
}

/** Rolling windows read minute buckets; these are kept for two hours, as for queues. */
const MINUTE_RETAIN_MS = 2 * 3600 * 1000
/** An ended call is remembered this long, so a second end line for it counts once. */
const ENDED_RETAIN_MS = 2 * 3600 * 1000

const LOGINS = new Set(['AGENTLOGIN', 'AGENTCALLBACKLOGIN'])
const LOGOFFS = new Set(['AGENTLOGOFF', 'AGENTCALLBACKLOGOFF'])
/** PBXware logs an agent's outbound call as OUTDIAL, then one of these when it ends. */
const OUTBOUND_ENDS = new Set([
  'OUTANSWER',
  'OUTCANCEL',
  'OUTCHANUNAVAIL',
  'OUTCONGESTION',
  'OUTTRANSFER',
  'OUTFAIL',
])
/** The `other` events that say something about an agent. */
const AGENT_EVENTS = new Set([
  ...LOGINS,
  ...LOGOFFS,
  ...OUTBOUND_ENDS,
  'ADDMEMBER',
  'REMOVEMEMBER',
  'PAUSE',
  'PAUSEALL',
  'UNPAUSE',
  'UNPAUSEALL',
  'RINGNOANSWER',
  'OUTDIAL',
])

export class AgentEngine {
  readonly settings: AgentEngineSettings
  readonly #agents = new Map<string, AgentRecord>()
  /** Which agent holds each queue call in progress. */
  readonly #callAgents = new Map<string, string>()
  readonly #ended = new Map<string, number>()
  readonly #wrapReasons: Set<string>
  #clock = 0
  #lastMinute = 0
  /** What the ledgers credit from: the retained span behind the clock (issue 6). */
  #floor = -Infinity

  constructor(settings: AgentEngineSettings) {
    this.settings = settings
    this.#wrapReasons = new Set(settings.wrapReasons.map(foldReason))
  }

  get clock(): number {
    return this.#clock
  }

  ids(): string[] {
    return [...this.#agents.keys()]
  }

  get(id: string): AgentRecord | undefined {
    return this.#agents.get(id)
  }

  apply(event: CanonicalEvent): void {
    const limit = this.settings.clockLimit
    const ts = limit === null ? event.ts : Math.min(event.ts, limit())
    this.advance(ts)

    switch (event.type) {
      case 'agent.state': {
        const record = this.#record(event.agent, event.queue)
        record.status.report(event.state, event.reason?.trim() || null)
        return this.#settle(record, ts)
      }
      case 'call.answer':
        return this.#answer(event, ts)
      case 'call.end':
        return this.#end(event, ts)
      case 'other':
        return this.#other(event, ts)
      default:
        return
    }
  }

  /** Moves the clock to `now`; each new minute credits every agent's state in progress. */
  advance(now: number): void {
    if (now <= this.#clock) return
    this.#clock = now

    const minute = Math.floor(now / MINUTE_MS)
    if (minute === this.#lastMinute) return
    this.#lastMinute = minute

    const retain = this.settings.retainMs
    this.#floor = retain === null ? -Infinity : now - retain
    for (const record of this.#agents.values()) {
      record.ledger.floor = this.#floor
      record.ledger.checkpoint(now)
    }
    this.#prune()
  }

  /** Adds one agent's counters for [start, end] into `into`, the state in progress included. */
  sumAgent(into: AgentCounters, id: string, start: number, end: number, rolling: boolean) {
    return this.#agents.get(id)?.ledger.sumInto(into, start, end, rolling) ?? into
  }

  isWrapReason = (reason: string): boolean => this.#wrapReasons.has(foldReason(reason))

  #answer(event: CallAnswer, ts: number): void {
    const record = this.#record(event.agent, event.queue)
    const call = callKey(event.queue, event.callId)

    record.status.answer(call, event.queue)
    this.#callAgents.set(call, record.id)
    this.#settle(record, ts)
  }

  #end(event: CallEnd, ts: number): void {
    const call = callKey(event.queue, event.callId)
    if (this.#ended.has(call)) return
    this.#ended.set(call, ts)

    const record = this.#record(event.agent, event.queue)
    const holder = this.#agents.get(this.#callAgents.get(call) ?? record.id) ?? record
    const end = Math.max(ts, holder.ledger.since ?? ts)
    this.#callAgents.delete(call)
    holder.status.hangUp(call)
    this.#settle(holder, ts)

    record.ledger.count('handledCalls', ts, 1)
    record.ledger.count('handledCallMs', ts, event.talkMs + event.holdMs + event.wrapMs)
    if (holder !== record) return

    // Reported as figures only: the last wrapMs of the call was wrap-up, the holdMs before
    // it hold (where within the call the hold fell is not known; the totals are exact).
    const holdEnd = end - event.wrapMs
    record.ledger.relabel(holdEnd, end, 'talking', 'wrap_up')
    record.ledger.relabel(holdEnd - event.holdMs, holdEnd, 'talking', 'hold')
  }

  #other(event: OtherEvent, ts: number): void {
    if (event.name === 'QUEUESTART') return this.#restart(ts)
    if (event.agent === undefined || !AGENT_EVENTS.has(event.name)) return

    const record = this.#record(event.agent, event.queue)
    const status = record.status
    const queue = event.queue ?? ALL_QUEUES
    const name = event.name

    if (LOGINS.has(name)) status.login()
    else if (LOGOFFS.has(name)) status.logoff()
    else if (name === 'ADDMEMBER' && event.queue !== undefined) status.addMember(event.queue)
    else if (name === 'REMOVEMEMBER' && event.queue !== undefined) status.removeMember(event.queue)
    else if (name === 'PAUSE') status.pause(queue, event.data[0]?.trim() || null)
    else if (name === 'PAUSEALL') status.pause(ALL_QUEUES, event.data[0]?.trim() || null)
    else if (name === 'UNPAUSE') status.unpause(queue)
    else if (name === 'UNPAUSEALL') status.unpause(ALL_QUEUES)
    else if (name === 'RINGNOANSWER') this.#ringNoAnswer(record, event, ts)
    else if (name === 'OUTDIAL' && event.callId !== undefined) status.dial(event.callId)
    else if (event.callId !== undefined) status.dialEnded(event.callId)

    this.#settle(record, ts)
  }

  #ringNoAnswer(record: AgentRecord, event: OtherEvent, ts: number): void {
    // Only a member is rung: a static member, never added by ADDMEMBER, shows up this way.
    if (event.queue !== undefined) record.status.addMember(event.queue)
    record.ledger.count('ringNoAnswer', ts, 1)
  }

  /** Asterisk (re)started its queues: calls in progress are gone, end lines or not. */
  #restart(ts: number): void {
    this.#callAgents.clear()
    for (const record of this.#agents.values()) {
      record.status.dropCalls()
      this.#settle(record, ts)
    }
  }

  /** Brings the ledger to the state the status now implies, from `ts` at the earliest. */
  #settle(record: AgentRecord, ts: number): void {
    const next = record.status.current(this.isWrapReason)
    // A late event cannot reach behind the agent's last change: events of one agent are
    // taken in stream order, so every server places the change at the same instant.
    const at = Math.max(ts, record.ledger.since ?? ts)
    record.ledger.change(next, at)
  }

  #record(member: string, queue: string | undefined): AgentRecord {
    const id = this.settings.resolve(member)
    let record = this.#agents.get(id)

    if (record === undefined) {
      record = { id, status: new AgentStatus(), ledger: new AgentLedger(), queues: new Set() }
      record.ledger.floor = this.#floor
      this.#agents.set(id, record)
    }
    if (queue !== undefined) record.queues.add(queue)
    return record
  }

  #prune(): void {
    const clock = this.#clock
    const retain = this.settings.retainMs
    if (retain === null) return

    for (const [call, at] of this.#ended) if (at < clock - ENDED_RETAIN_MS) this.#ended.delete(call)
    for (const [id, record] of this.#agents) {
      const empty = record.ledger.prune(clock - MINUTE_RETAIN_MS, clock - retain)
      if (empty) this.#agents.delete(id)
    }
  }
}

function callKey(queue: string, callId: string): string {
  return `${queue}\u0000${callId}`
}

function foldReason(reason: string): string {
  return reason.trim().toLowerCase()
}

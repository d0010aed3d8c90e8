/**
 * Figures for the alerts set by hand, on a clock the test moves: what the live engine and
 * the agent board would give the alert service, without either.
 */
import type { AgentRow, AgentSnapshot } from '../../shared/agent-protocol.ts'
import { deriveFigures, emptyCounters, type Figures } from '../../shared/figures.ts'
import type { Snapshot } from '../../shared/protocol.ts'
import type { TimeSettings, WindowName } from '../../shared/windows.ts'
import { DEFAULT_AGENT_RULES } from '../../server/agents/agent-rules.ts'
import type { AlertInputs } from '../../server/alerts/judge.ts'

/** What a queue shows; every window shows the same. */
export interface QueueShape {
  offered?: number
  /** Answered within T. */
  met?: number
  abandoned?: number
  waiting?: number
  /** Seconds the oldest waiting call has waited. */
  longestWait?: number
}

export const UTC: TimeSettings = { tz: 'UTC', dayStartMinutes: 0, intervalMinutes: 30 }

/** 2026-12-03 10:00 UTC, a Thursday morning. */
export const MORNING = Date.UTC(2026, 11, 3, 10, 0, 0)

export class FakeInputs implements AlertInputs {
  readonly time = UTC
  readonly queues = new Map<string, QueueShape>()
  lastArrival: number | null = null
  agentRows: AgentRow[] | null = null

  /** Sets a queue's figures: `offered` calls, `met` of them answered within T. */
  set(queue: string, shape: QueueShape): this {
    this.queues.set(queue, shape)
    return this
  }

  /** Service level `percent` of `offered` calls. */
  serviceLevel(queue: string, percent: number, offered = 100): this {
    return this.set(queue, { offered, met: Math.round((offered * percent) / 100) })
  }

  snapshot(window: WindowName, now: number): Snapshot {
    const queues: Record<string, Figures> = {}
    const total = emptyCounters()
    for (const [name, shape] of this.queues) {
      queues[name] = figures(shape, now)
      total.offered += shape.offered ?? 0
      total.answeredWithinThreshold += shape.met ?? 0
    }
    return {
      asOf: now,
      window,
      windowStart: now - 30 * 60_000,
      windowLabel: 'last 30 min',
      streamId: '0-0',
      threshold: 20,
      target: 0.8,
      tz: 'UTC',
      queues,
      total: deriveFigures(total, { waiting: 0, oldestEnteredAt: null }, now),
    }
  }

  lastArrivalAt(): number | null {
    return this.lastArrival
  }

  agents(now: number) {
    if (this.agentRows === null) return null
    const board = { agents: this.agentRows, total: { loggedIn: loggedIn(this.agentRows) } }
    return {
      board: { asOf: now, ...board } as unknown as AgentSnapshot,
      rules: DEFAULT_AGENT_RULES,
    }
  }
}

function figures(shape: QueueShape, now: number): Figures {
  const counters = {
    ...emptyCounters(),
    offered: shape.offered ?? 0,
    answeredWithinThreshold: shape.met ?? 0,
    answered: shape.met ?? 0,
    abandoned: shape.abandoned ?? 0,
  }
  const longest = shape.longestWait
  const live = {
    waiting: shape.waiting ?? 0,
    oldestEnteredAt: longest === undefined ? null : now - longest * 1000,
  }
  return deriveFigures(counters, live, now)
}

function loggedIn(rows: readonly AgentRow[]): number {
  return rows.filter((row) => row.state !== 'logged_out').length
}

/** An agent row as the board gives it, in `state` since `since`. */
export function agentRow(id: string, fields: Partial<AgentRow>): AgentRow {
  return {
    id,
    name: id,
    team: null,
    queues: [],
    state: 'available',
    reason: null,
    since: null,
    adherence: {
      activity: null,
      status: 'unscheduled',
      since: 0,
      adherence: null,
      conformance: null,
      scheduledMs: 0,
      outMs: 0,
      onQueueScheduledMs: 0,
      onQueueWorkedMs: 0,
    },
    overrun: null,
    ...fields,
  } as AgentRow
}

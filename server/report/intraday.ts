/**
 * Today's staffing per interval: calls waiting from the queue engine's per-quarter peaks,
 * and occupancy from the agent engine's per-quarter time, so a stretch of talk or idle
 * counts in the interval it was spent in.
 */
import { DateTime } from 'luxon'
import {
  deriveAgentFigures,
  emptyAgentCounters,
  type AgentCounters,
} from '../../shared/agent-figures.ts'
import type { Intraday, IntradayRow } from '../../shared/intraday.ts'
import { dayLabel, dayStartOf, MINUTE_MS, nextDayStart } from '../../shared/windows.ts'
import type { AgentFilter } from '../agents/agent-snapshot.ts'
import type { LiveFigures } from '../live/live-figures.ts'

export interface IntradayOptions {
  /** One queue, or null for all. */
  queue: string | null
  /** The agents the occupancy is over (the caller's scope and the queue). */
  agents: AgentFilter
  /** Whether calls waiting may be told: not for all queues of a limited scope. */
  showWaiting: boolean
}

export function intradayToday(live: LiveFigures, now: number, options: IntradayOptions) {
  const engine = live.engine
  const time = engine.settings.time
  const at = Math.max(now, engine.clock)
  const dayStart = dayStartOf(at, time)
  const dayEnd = nextDayStart(dayStart, time)
  const length = time.intervalMinutes * MINUTE_MS
  const agents = agentIds(live, options.agents)
  // As the clock's tick would within a moment: the ledgers then hold every closed interval
  // whole, rather than up to their last minute mark.
  live.agents?.engine.advance(at)
  const intervals: IntradayRow[] = []

  for (let start = dayStart; start < dayEnd && start <= at; start += length) {
    const end = start + length
    const waiting = engine.waitingSpan(options.queue, start, end)
    // A past interval is its own quarters; the running one also holds the stretch till now.
    const counters = sumAgents(live, agents, start, end > at ? at : end - 1)
    const figures = deriveAgentFigures(counters, live.agents?.config.rules ?? NO_RULES)

    intervals.push({
      at: start,
      start: DateTime.fromMillis(start, { zone: time.tz }).toFormat('HH:mm'),
      waitingPeak: options.showWaiting ? waiting.peak : null,
      waitingAtEnd: options.showWaiting ? waiting.atEnd : null,
      handleMs: figures.handleMs,
      availableMs: figures.availableMs,
      occupancy: figures.occupancy,
    })
  }

  const answer: Intraday = {
    asOf: at,
    date: dayLabel(dayStart, time),
    dayStart,
    tz: time.tz,
    intervalMinutes: time.intervalMinutes,
    queue: options.queue,
    agents: agents.length,
    intervals,
  }
  return answer
}

const NO_RULES = { outboundIsHandle: false }

/** The agents of the filter: in one of its teams (by the roster) and seen in its queues. */
function agentIds(live: LiveFigures, filter: AgentFilter): string[] {
  const board = live.agents
  if (board === undefined) return []

  const teams = new Map(board.config.roster.map((agent) => [agent.id, agent.team]))
  return board.engine.ids().filter((id) => {
    const team = teams.get(id) ?? null
    if (filter.teams !== undefined && (team === null || !filter.teams.includes(team))) return false
    if (filter.queues === undefined) return true
    const seen = board.engine.get(id)?.queues ?? new Set<string>()
    return filter.queues.some((queue) => seen.has(queue))
  })
}

function sumAgents(live: LiveFigures, ids: readonly string[], start: number, end: number) {
  const into: AgentCounters = emptyAgentCounters()
  const engine = live.agents?.engine
  for (const id of ids) engine?.sumAgent(into, id, start, end, false)
  return into
}

/**
 * What a viewer limited to some queues and teams may see, applied on the server to every
 * read: snapshots, WebSocket groups, the agent board and alerts. What a viewer asks for is
 * cut down to its scope; asking for nothing gives the whole of its scope.
 */
import type { Incident } from '../../shared/alerts.ts'
import type { AgentFilter } from '../agents/agent-snapshot.ts'
import { limitsOf, type Principal } from './roles.ts'

/** The queues a snapshot may show: those asked for within the scope; undefined for all. */
export function scopeQueues(
  principal: Principal,
  requested: readonly string[] | undefined,
): readonly string[] | undefined {
  const allowed = limitsOf(principal)?.queues
  return allowed === undefined ? requested : within(requested, allowed)
}

/** The agent board's filter, narrowed to the teams and queues of the scope. */
export function scopeAgentFilter(principal: Principal, filter: AgentFilter): AgentFilter {
  const limits = limitsOf(principal)
  if (limits === null) return filter

  const teams = limits.teams === undefined ? filter.teams : within(filter.teams, limits.teams)
  const queues = limits.queues === undefined ? filter.queues : within(filter.queues, limits.queues)
  return {
    ...(teams === undefined ? {} : { teams }),
    ...(queues === undefined ? {} : { queues }),
  }
}

/**
 * Whether a principal may see an incident. The all-queues incident tells of queues beyond
 * a queue-limited scope, so only an unlimited one sees it; the silent feed names no queue.
 */
export function seesIncident(
  principal: Principal,
  incident: Incident,
  seesAgent: (id: string) => boolean,
): boolean {
  const limits = limitsOf(principal)
  if (limits === null) return true

  switch (incident.scope) {
    case 'site':
      return true
    case 'all':
      return limits.queues === undefined
    case 'queue':
      return limits.queues === undefined || limits.queues.includes(incident.subject ?? '')
    case 'agent':
      return seesAgent(incident.subject ?? '')
  }
}

function within(requested: readonly string[] | undefined, allowed: readonly string[]) {
  return requested === undefined ? allowed : requested.filter((name) => allowed.includes(name))
}

/**
 * What the agent board shows in each cell and in which order: overruns first, each agent
 * then in a place that does not move, and time that ticks on between messages.
 */
import type { AgentRow } from '../../shared/agent-protocol.ts'

const byId = new Intl.Collator(undefined, { numeric: true })

/**
 * Overruns first, the longest running at the top; then logged-in agents, then logged-out
 * ones, each by id, so that an agent's cell stays where the team leader learnt it.
 */
export function orderAgents(rows: readonly AgentRow[]): AgentRow[] {
  return [...rows].sort((a, b) => {
    const rank = sortRank(a) - sortRank(b)
    if (rank !== 0) return rank

    if (a.overrun !== null && b.overrun !== null) {
      const since = a.overrun.since + a.overrun.limitMs - (b.overrun.since + b.overrun.limitMs)
      if (since !== 0) return since
    }
    return byId.compare(a.id, b.id)
  })
}

function sortRank(row: AgentRow): number {
  if (row.overrun !== null) return 0
  return row.state === 'logged_out' ? 2 : 1
}

/**
 * Milliseconds since `since` (server clock) as of now: the server's asOf plus the time the
 * message has been on this browser, so a TV's wrong clock does not skew the count.
 */
export function elapsedMs(
  since: number | null,
  asOf: number,
  receivedAt: number,
  now: number,
): number | null {
  if (since === null) return null
  return Math.max(0, asOf - since + Math.max(0, now - receivedAt))
}

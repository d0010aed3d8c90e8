/**
 * Every word the agent board shows, in one place, as text.ts does for the queue wall. The
 * mark beside each state word says the same as the cell's colour, for anyone who cannot
 * tell the colours apart.
 */
import type { AgentStateName } from '../../shared/agent-figures.ts'

export const AGENT_TEXT = {
  title: 'callboard · agents',
  waitingForServer: 'Waiting for the first agent figures from the server…',
  noAgents: 'No agents for this board yet',
  summary: (shown: number, loggedIn: number, overruns: number) =>
    `${shown} agents · ${loggedIn} logged in · ${overruns} over limit`,
  occupancy: 'Occ',
  adherence: 'Adh',
  inAdherence: '✓',
  outOfAdherence: '✗',
  overrun: '!',
  filter: (teams: string[] | null, queues: string[] | null) =>
    [teams && `team ${teams.join(', ')}`, queues && `queue ${queues.join(', ')}`]
      .filter(Boolean)
      .join(' · '),
} as const

/** Word and mark per state. */
export const STATE_LOOK: Record<AgentStateName, { label: string; mark: string }> = {
  available: { label: 'Ready', mark: '●' },
  ringing: { label: 'Ringing', mark: '◎' },
  talking: { label: 'Talk', mark: '☎' },
  hold: { label: 'Hold', mark: '‖' },
  wrap_up: { label: 'Wrap', mark: '✎' },
  outbound: { label: 'Outbound', mark: '↗' },
  not_ready: { label: 'Not ready', mark: '■' },
  logged_out: { label: 'Off', mark: '○' },
}

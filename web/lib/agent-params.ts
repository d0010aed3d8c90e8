/**
 * The agent board's settings, from its URL as the queue wall's are:
 * `/?view=agents&team=north,south&queue=Sales&window=interval` (or `/agents?…`).
 */
import { isWindowName, type WindowName } from '../../shared/windows.ts'
import { parseQueueList } from './params.ts'

export interface AgentBoardParams {
  /** Window the figures are computed over. @default 'today' */
  window: WindowName
  /** Teams shown; null for all agents. */
  teams: string[] | null
  /** Only agents seen in these queues; null for all. */
  queues: string[] | null
}

/** Whether a page address asks for the agent board rather than the queue wall. */
export function isAgentView(pathname: string, search: string): boolean {
  return (
    pathname.replace(/\/+$/, '') === '/agents' ||
    new URLSearchParams(search).get('view') === 'agents'
  )
}

export function parseAgentParams(search: string): AgentBoardParams {
  const params = new URLSearchParams(search)
  const window = params.get('window')

  return {
    window: window !== null && isWindowName(window) ? window : 'today',
    teams: parseQueueList(params.get('team') ?? params.get('teams')),
    queues: parseQueueList(params.get('queue') ?? params.get('queues')),
  }
}

/** The agent WebSocket address, on the host that served the page. */
export function agentSocketUrl(pageProtocol: string, pageHost: string, params: AgentBoardParams) {
  const scheme = pageProtocol === 'https:' ? 'wss:' : 'ws:'
  const query = new URLSearchParams({ window: params.window })

  if (params.teams !== null) query.set('team', params.teams.join(','))
  if (params.queues !== null) query.set('queue', params.queues.join(','))
  return `${scheme}//${pageHost}/ws/agents?${query}`
}

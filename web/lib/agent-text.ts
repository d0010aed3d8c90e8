/**
 * Every word the agent board shows, one table per language, as text.ts does for the queue
 * wall. The mark beside each state word says the same as the cell's colour, for anyone who
 * cannot tell the colours apart.
 */
import type { AgentStateName } from '../../shared/agent-figures.ts'
import { LANG } from './lang.ts'
import type { Words } from './text.ts'

const AGENT_TEXT_EN = {
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

const AGENT_TEXT_ZH: Words<typeof AGENT_TEXT_EN> = {
  title: 'callboard · 座席',
  waitingForServer: '正在等待服务器的首批座席数据…',
  noAgents: '此看板暂无座席',
  summary: (shown, loggedIn, overruns) =>
    `${shown} 名座席 · ${loggedIn} 名已登录 · ${overruns} 名超时`,
  occupancy: '占用',
  adherence: '遵守',
  inAdherence: '✓',
  outOfAdherence: '✗',
  overrun: '!',
  filter: (teams, queues) =>
    [teams && `班组 ${teams.join('、')}`, queues && `队列 ${queues.join('、')}`]
      .filter(Boolean)
      .join(' · '),
}

export const AGENT_TEXT = LANG === 'zh' ? AGENT_TEXT_ZH : AGENT_TEXT_EN

const LABELS_ZH: Record<AgentStateName, string> = {
  available: '空闲',
  ringing: '振铃',
  talking: '通话',
  hold: '保持',
  wrap_up: '话后',
  outbound: '外呼',
  not_ready: '示忙',
  logged_out: '离线',
}

/** Word and mark per state. */
const STATE_LOOK_EN: Record<AgentStateName, { label: string; mark: string }> = {
  available: { label: 'Ready', mark: '●' },
  ringing: { label: 'Ringing', mark: '◎' },
  talking: { label: 'Talk', mark: '☎' },
  hold: { label: 'Hold', mark: '‖' },
  wrap_up: { label: 'Wrap', mark: '✎' },
  outbound: { label: 'Outbound', mark: '↗' },
  not_ready: { label: 'Not ready', mark: '■' },
  logged_out: { label: 'Off', mark: '○' },
}

export const STATE_LOOK: Record<AgentStateName, { label: string; mark: string }> =
  LANG === 'zh'
    ? (Object.fromEntries(
        Object.entries(STATE_LOOK_EN).map(([state, look]) => [
          state,
          { ...look, label: LABELS_ZH[state as AgentStateName] },
        ]),
      ) as Record<AgentStateName, { label: string; mark: string }>)
    : STATE_LOOK_EN

/**
 * Every word the wall shows, in one place, so a second language is one more table.
 */
import type { WindowName } from '../../shared/windows.ts'
import type { ConnectionState } from './connection.svelte.ts'
import type { Grade } from './service-level.ts'

export const TEXT = {
  title: 'callboard',
  allQueues: 'All queues',
  serviceLevel: 'Service level',
  waiting: 'Waiting',
  longestWait: 'Longest wait',
  asa: 'ASA',
  abandoned: 'Abandoned',
  aht: 'AHT',
  offeredAnswered: 'Offered / answered',
  noData: 'no data yet for this queue',
  waitingForServer: 'Waiting for the first figures from the server…',
  target: (percent: number, seconds: number) => `SL target ${percent} % within ${seconds} s`,
  within: (seconds: number) => `within ${seconds} s`,
  updatedAgo: (age: string) => `updated ${age} ago`,
  noDataYet: 'no data yet',
  staleBanner: (age: string) => `STALE — no data for ${age}`,
  staleDetail: (clock: string) =>
    `Figures below are from ${clock} and may be wrong. Reconnecting automatically…`,
  staleNeverDetail: 'No figures have arrived from the server. Reconnecting automatically…',
  retry: (attempt: number) => `retry ${attempt}`,
} as const

/** Shown until the first snapshot brings the server's own label for the window. */
export const WINDOW_TEXT: Record<WindowName, string> = {
  today: 'Today',
  interval: 'Current interval',
  '15m': 'Last 15 min',
  '30m': 'Last 30 min',
  '60m': 'Last 60 min',
}

export const STATE_TEXT: Record<ConnectionState, string> = {
  connecting: 'Connecting',
  live: 'Live',
  reconnecting: 'Reconnecting',
  stale: 'Stale',
}

/** The words and arrow that say what the colour says, for anyone who cannot tell them apart. */
export const GRADE_TEXT: Record<Grade, string> = {
  met: '▲ on target',
  near: '▼ below target',
  missed: '▼▼ well below target',
  none: 'no calls offered',
}

/** The words of the alert banners on the tiles (web/lib/alerts.ts). */
export const ALERT_TEXT = {
  serviceLevel: (percent: number, fire: number) => `SL ${percent} % < ${fire} %`,
  abandonRate: (percent: string, fire: number) => `Abandoned ${percent} % ≥ ${fire} %`,
  callsWaiting: (count: number, fire: number) => `${count} waiting ≥ ${fire}`,
  longestWait: (wait: string, fire: string) => `Longest wait ${wait} ≥ ${fire}`,
  feedSilent: (silence: string) => `No events for ${silence}`,
  agentNotReady: (agent: string, minutes: number) => `${agent} not ready ${minutes} min`,
  agentAdherence: (agent: string, minutes: number) => `${agent} out of adherence ${minutes} min`,
  since: (clock: string) => `since ${clock}`,
  acknowledged: (by: string, clock: string) => `ack ${by} ${clock}`,
  snoozed: (until: string) => `snoozed to ${until}`,
  more: (count: number) => `+${count} more`,
  enableSound: 'Click once to let this screen sound alerts',
  soundOn: 'Alert sound on',
} as const

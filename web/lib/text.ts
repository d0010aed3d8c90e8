/**
 * Every word the wall shows, one table per language: English here, Simplified Chinese in
 * text-zh.ts. The exported tables are those of the screen's language (lang.ts).
 */
import type { WindowName } from '../../shared/windows.ts'
import type { ConnectionState } from './connection.svelte.ts'
import { LANG } from './lang.ts'
import type { Grade } from './service-level.ts'
import { ALERT_TEXT_ZH, GRADE_TEXT_ZH, STATE_TEXT_ZH, TEXT_ZH, WINDOW_TEXT_ZH } from './text-zh.ts'

/** A table's shape with its words widened to string, so another language can fill it. */
export type Words<T> = {
  [K in keyof T]: T[K] extends (...args: infer A) => string ? (...args: A) => string : string
}

const TEXT_EN = {
  title: 'callboard',
  // Of the queues this screen shows: a TV limited to some queues totals only those.
  total: 'Total',
  serviceLevel: 'Service level',
  waiting: 'Waiting',
  longestWait: 'Longest wait',
  asa: 'ASA',
  abandonRate: 'Abandon rate',
  aht: 'AHT',
  offeredAnswered: 'Offered / answered',
  answerRate: 'Answer rate',
  page: (of: string) => `Page ${of}`,
  noScreen: (name: string) => `No screen named “${name}” yet: a manager sets it up under Screens.`,
  emptyScreen: 'Nothing on this screen for this TV’s token.',
  noData: 'no data yet for this queue',
  waitingForServer: 'Waiting for the first figures from the server…',
  target: (percent: number, seconds: number) => `SL target ${percent} % within ${seconds} s`,
  targetsPerQueue: 'SL targets per queue',
  within: (seconds: number) => `within ${seconds} s`,
  updatedAgo: (age: string) => `updated ${age} ago`,
  noDataYet: 'no data yet',
  staleBanner: (age: string) => `STALE — no data for ${age}`,
  staleDetail: (clock: string) =>
    `Figures below are from ${clock} and may be wrong. Reconnecting automatically…`,
  staleNeverDetail: 'No figures have arrived from the server. Reconnecting automatically…',
  retry: (attempt: number) => `retry ${attempt}`,
  unitSecond: 's',
  unitMinute: 'min',
  unitHour: 'h',
} as const

/** Shown until the first snapshot brings the server's own label for the window. */
const WINDOW_TEXT_EN: Record<WindowName, string> = {
  today: 'Today',
  interval: 'Current interval',
  '15m': 'Last 15 min',
  '30m': 'Last 30 min',
  '60m': 'Last 60 min',
}

const STATE_TEXT_EN: Record<ConnectionState, string> = {
  connecting: 'Connecting',
  live: 'Live',
  reconnecting: 'Reconnecting',
  stale: 'Stale',
}

/** The words and arrow that say what the colour says, for anyone who cannot tell them apart. */
const GRADE_TEXT_EN: Record<Grade, string> = {
  met: '▲ on target',
  near: '▼ below target',
  missed: '▼▼ well below target',
  none: 'no calls offered',
}

/** The words of the alert banners on the tiles (web/lib/alerts.ts). */
const ALERT_TEXT_EN = {
  // Without a value (the tile's figures are not the rule's): which limit it crossed.
  serviceLevel: (percent: number | null, fire: number) =>
    percent === null ? `SL < ${fire} %` : `SL ${percent} % < ${fire} %`,
  abandonRate: (percent: string | null, fire: number) =>
    percent === null ? `Abandoned ≥ ${fire} %` : `Abandoned ${percent} % ≥ ${fire} %`,
  callsWaiting: (count: number | null, fire: number) =>
    count === null ? `Waiting ≥ ${fire}` : `${count} waiting ≥ ${fire}`,
  longestWait: (wait: string | null, fire: string) =>
    wait === null ? `Longest wait ≥ ${fire}` : `Longest wait ${wait} ≥ ${fire}`,
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

export type WallText = Words<typeof TEXT_EN>
export type AlertText = Words<typeof ALERT_TEXT_EN>

const zh = LANG === 'zh'
export const TEXT: WallText = zh ? TEXT_ZH : TEXT_EN
export const WINDOW_TEXT = zh ? WINDOW_TEXT_ZH : WINDOW_TEXT_EN
export const STATE_TEXT = zh ? STATE_TEXT_ZH : STATE_TEXT_EN
export const GRADE_TEXT = zh ? GRADE_TEXT_ZH : GRADE_TEXT_EN
export const ALERT_TEXT: AlertText = zh ? ALERT_TEXT_ZH : ALERT_TEXT_EN

/** The server describes windows in English ("since 00:00 Asia/Shanghai"); others get ours. */
export function windowLabel(fromServer: string | undefined, window: WindowName): string {
  return zh || fromServer === undefined ? WINDOW_TEXT[window] : fromServer
}

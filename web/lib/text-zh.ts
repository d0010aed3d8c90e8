/**
 * The wall's words in Simplified Chinese (text.ts has the English and picks one); terms
 * follow the handbook: 服务水平, 接通率, 平均处理时长, 放弃率, 排队数, 最长等待.
 */
import type { WindowName } from '../../shared/windows.ts'
import type { ConnectionState } from './connection.svelte.ts'
import type { Grade } from './service-level.ts'
import type { AlertText, WallText } from './text.ts'

export const TEXT_ZH: WallText = {
  title: 'callboard',
  total: '合计',
  serviceLevel: '服务水平',
  waiting: '排队数',
  longestWait: '最长等待',
  asa: '平均应答速度',
  abandonRate: '放弃率',
  aht: '平均处理时长',
  offeredAnswered: '呼入 / 接通',
  answerRate: '接通率',
  page: (of) => `第 ${of} 页`,
  noScreen: (name) => `尚无名为“${name}”的屏幕：请管理人员在“屏幕”中设置。`,
  emptyScreen: '此电视的令牌无权查看此屏幕的任何内容。',
  noData: '此队列暂无数据',
  waitingForServer: '正在等待服务器的首批数据…',
  target: (percent, seconds) => `服务水平目标 ${seconds} 秒内 ${percent} %`,
  targetsPerQueue: '服务水平目标按队列',
  within: (seconds) => `（${seconds} 秒内）`,
  updatedAgo: (age) => `${age}前更新`,
  noDataYet: '暂无数据',
  staleBanner: (age) => `数据过期 — ${age}无数据`,
  staleDetail: (clock) => `以下数据截至 ${clock}，可能有误。正在自动重新连接…`,
  staleNeverDetail: '尚未收到服务器数据。正在自动重新连接…',
  retry: (attempt) => `第 ${attempt} 次重试`,
  unitSecond: '秒',
  unitMinute: '分钟',
  unitHour: '小时',
}

export const WINDOW_TEXT_ZH: Record<WindowName, string> = {
  today: '今日',
  interval: '当前时段',
  '15m': '最近 15 分钟',
  '30m': '最近 30 分钟',
  '60m': '最近 60 分钟',
}

export const STATE_TEXT_ZH: Record<ConnectionState, string> = {
  connecting: '连接中',
  live: '实时',
  reconnecting: '重新连接中',
  stale: '数据过期',
}

export const GRADE_TEXT_ZH: Record<Grade, string> = {
  met: '▲ 达标',
  near: '▼ 低于目标',
  missed: '▼▼ 远低于目标',
  none: '无呼入',
}

export const ALERT_TEXT_ZH: AlertText = {
  serviceLevel: (percent, fire) =>
    percent === null ? `服务水平 < ${fire} %` : `服务水平 ${percent} % < ${fire} %`,
  abandonRate: (percent, fire) =>
    percent === null ? `放弃率 ≥ ${fire} %` : `放弃率 ${percent} % ≥ ${fire} %`,
  callsWaiting: (count, fire) =>
    count === null ? `排队数 ≥ ${fire}` : `排队数 ${count} ≥ ${fire}`,
  longestWait: (wait, fire) =>
    wait === null ? `最长等待 ≥ ${fire}` : `最长等待 ${wait} ≥ ${fire}`,
  feedSilent: (silence) => `${silence} 无事件`,
  agentNotReady: (agent, minutes) => `${agent} 示忙 ${minutes} 分钟`,
  agentAdherence: (agent, minutes) => `${agent} 未遵守排班 ${minutes} 分钟`,
  since: (clock) => `自 ${clock}`,
  acknowledged: (by, clock) => `${by} ${clock} 已确认`,
  snoozed: (until) => `暂停提醒至 ${until}`,
  more: (count) => `另 ${count} 条`,
  enableSound: '点击一次，允许此屏幕播放告警声音',
  soundOn: '告警声音已开启',
}

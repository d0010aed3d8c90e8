/**
 * Every word of the managers' page, one table per language; Chinese terms follow the
 * handbook (服务水平, 接通率, 平均处理时长, 放弃率, 排队数, 最长等待, 座席占用率, 排班遵守率).
 */
import type { AgentStateName } from '../../shared/agent-figures.ts'
import type { IncidentStatus, RuleName } from '../../shared/alerts.ts'
import type { SlVariant } from '../../shared/settings.ts'
import { LANG, type Lang } from './lang.ts'
import { SL_CAPTIONS, type SlCaptionLines } from './sl-caption.ts'

/** Columns of the queue table, in the order shown; each sorts the table. */
export const QUEUE_COLUMNS = [
  'queue',
  'serviceLevel',
  'answerRate',
  'offered',
  'answered',
  'abandoned',
  'abandonRate',
  'waiting',
  'longestWait',
  'asa',
  'aht',
] as const
export type QueueColumn = (typeof QUEUE_COLUMNS)[number]

export interface ManageText {
  title: string
  queues: string
  allQueues: string
  columns: Record<QueueColumn, string>
  sortedUp: string
  seconds: (value: string) => string
  /** The service level's numerator and denominator, in words of the queue's formula. */
  slRatio: (met: string, offered: string, seconds: number, variant: SlVariant) => SlCaptionLines
  minutes: (value: string) => string
  sortedDown: string
  target: (percent: number, seconds: number) => string
  waitingForServer: string
  state: Record<'connecting' | 'live' | 'reconnecting' | 'stale', string>
  drillHint: string
  agentsOf: (queue: string) => string
  close: string
  team: string
  noTeam: string
  agents: string
  loggedIn: string
  occupancy: string
  adherence: string
  agent: string
  agentState: string
  since: string
  agentStates: Record<AgentStateName, string>
  noAgents: string
  noTeams: string
  incidents: string
  noIncidents: string
  rules: Record<RuleName, string>
  status: Record<IncidentStatus, string>
  openedAt: string
  subject: string
  rule: string
  value: string
  statusHeading: string
  actions: string
  acknowledge: string
  snooze: (minutes: number) => string
  by: string
  byPlaceholder: string
  needName: string
  failed: (reason: string) => string
  charts: string
  slChart: string
  volumeChart: string
  offered: string
  answered: string
  abandoned: string
  targetLine: string
  slBelow: string
  exportCsv: string
  language: string
  /** The date picker and a past day read from the history. */
  day: string
  queuesOn: (date: string) => string
  backToToday: string
  exportCsvOf: (date: string) => string
  loadingDay: string
  pastHint: string
  chartsOn: (date: string) => string
  /** The same weekday a week before, drawn dashed beside the day shown. */
  lastWeekSl: (date: string) => string
  lastWeekOffered: (date: string) => string
}

const EN: ManageText = {
  title: 'callboard · managers',
  queues: 'Queues today',
  allQueues: 'All queues',
  columns: {
    queue: 'Queue',
    serviceLevel: 'Service level',
    answerRate: 'Answer rate',
    offered: 'Offered',
    answered: 'Answered',
    abandoned: 'Abandoned',
    abandonRate: 'Abandon rate',
    waiting: 'Waiting',
    longestWait: 'Longest wait',
    asa: 'ASA',
    aht: 'AHT',
  },
  sortedUp: 'sorted ascending',
  seconds: (value) => `${value} s`,
  slRatio: (met, offered, seconds, variant) => SL_CAPTIONS.en[variant](met, offered, seconds),
  minutes: (value) => `${value} min`,
  sortedDown: 'sorted descending',
  target: (percent, seconds) => `target ${percent} % within ${seconds} s`,
  waitingForServer: 'Waiting for the first figures from the server…',
  state: { connecting: 'Connecting', live: 'Live', reconnecting: 'Reconnecting', stale: 'Stale' },
  drillHint: 'Choose a queue for its teams and agents.',
  agentsOf: (queue) => `Teams and agents of ${queue}`,
  close: 'Close',
  team: 'Team',
  noTeam: 'No team',
  agents: 'Agents',
  loggedIn: 'Logged in',
  occupancy: 'Occupancy',
  adherence: 'Adherence',
  agent: 'Agent',
  agentState: 'State',
  since: 'For',
  agentStates: {
    available: 'Ready',
    ringing: 'Ringing',
    talking: 'Talk',
    hold: 'Hold',
    wrap_up: 'Wrap-up',
    outbound: 'Outbound',
    not_ready: 'Not ready',
    logged_out: 'Logged out',
  },
  noAgents: 'No agents seen in this queue today.',
  noTeams: 'No teams are set up: agents are listed below without one (PUT /api/v1/teams).',
  incidents: 'Open incidents',
  noIncidents: 'No open incidents.',
  rules: {
    serviceLevel: 'Service level',
    callsWaiting: 'Calls waiting',
    longestWait: 'Longest wait',
    abandonRate: 'Abandon rate',
    feedSilent: 'Event feed silent',
    agentNotReady: 'Not ready too long',
    agentAdherence: 'Out of adherence',
  },
  status: { firing: '! Firing', acknowledged: '✓ Acknowledged', snoozed: '◔ Snoozed' },
  openedAt: 'Opened',
  subject: 'Subject',
  rule: 'Rule',
  value: 'Value at opening',
  statusHeading: 'Status',
  actions: 'Actions',
  acknowledge: 'Acknowledge',
  snooze: (minutes) => `Snooze ${minutes} min`,
  by: 'Your name',
  byPlaceholder: 'e.g. Li Wei',
  needName: 'Enter your name first: the history records who answered.',
  failed: (reason) => `Not done: ${reason}`,
  charts: 'Today by interval',
  slChart: 'Service level per interval, against the target',
  volumeChart: 'Offered, answered and abandoned per interval',
  offered: 'Offered',
  answered: 'Answered',
  abandoned: 'Abandoned',
  targetLine: 'Target',
  slBelow: 'below target',
  exportCsv: 'Download today’s interval report (CSV)',
  language: 'Language',
  day: 'Day',
  queuesOn: (date) => `Queues on ${date}`,
  backToToday: 'Back to today',
  exportCsvOf: (date) => `Download the interval report of ${date} (CSV)`,
  loadingDay: 'Reading the history…',
  pastHint: 'A past day, from the history: calls waiting and longest wait exist for today only.',
  chartsOn: (date) => `${date} by interval`,
  lastWeekSl: (date) => `Service level a week before (${date})`,
  lastWeekOffered: (date) => `Offered a week before (${date})`,
}

const ZH: ManageText = {
  title: 'callboard · 管理',
  queues: '今日队列',
  allQueues: '全部队列',
  columns: {
    queue: '队列',
    serviceLevel: '服务水平',
    answerRate: '接通率',
    offered: '呼入量',
    answered: '接通量',
    abandoned: '放弃量',
    abandonRate: '放弃率',
    waiting: '排队数',
    longestWait: '最长等待',
    asa: '平均应答速度',
    aht: '平均处理时长',
  },
  sortedUp: '升序',
  seconds: (value) => `${value} 秒`,
  slRatio: (met, offered, seconds, variant) => SL_CAPTIONS.zh[variant](met, offered, seconds),
  minutes: (value) => `${value} 分钟`,
  sortedDown: '降序',
  target: (percent, seconds) => `目标 ${seconds} 秒内 ${percent}%`,
  waitingForServer: '正在等待服务器的首批数据…',
  state: { connecting: '连接中', live: '实时', reconnecting: '重新连接中', stale: '数据过期' },
  drillHint: '选择队列以查看其班组和座席。',
  agentsOf: (queue) => `${queue}的班组和座席`,
  close: '关闭',
  team: '班组',
  noTeam: '无班组',
  agents: '座席数',
  loggedIn: '已登录',
  occupancy: '座席占用率',
  adherence: '排班遵守率',
  agent: '座席',
  agentState: '状态',
  since: '持续',
  agentStates: {
    available: '空闲',
    ringing: '振铃',
    talking: '通话',
    hold: '保持',
    wrap_up: '话后处理',
    outbound: '外呼',
    not_ready: '示忙',
    logged_out: '未登录',
  },
  noAgents: '今日此队列没有座席。',
  noTeams: '尚未设置班组：座席列在下方，不分班组（PUT /api/v1/teams）。',
  incidents: '未关闭的告警',
  noIncidents: '没有未关闭的告警。',
  rules: {
    serviceLevel: '服务水平',
    callsWaiting: '排队数',
    longestWait: '最长等待',
    abandonRate: '放弃率',
    feedSilent: '事件源无数据',
    agentNotReady: '示忙超时',
    agentAdherence: '未遵守排班',
  },
  status: { firing: '! 告警中', acknowledged: '✓ 已确认', snoozed: '◔ 已暂停提醒' },
  openedAt: '开始时间',
  subject: '对象',
  rule: '规则',
  value: '触发时数值',
  statusHeading: '状态',
  actions: '操作',
  acknowledge: '确认',
  snooze: (minutes) => `暂停提醒 ${minutes} 分钟`,
  by: '您的姓名',
  byPlaceholder: '例如 李伟',
  needName: '请先输入姓名：历史记录会记下处理人。',
  failed: (reason) => `未完成：${reason}`,
  charts: '今日分时段',
  slChart: '各时段服务水平与目标',
  volumeChart: '各时段呼入、接通与放弃',
  offered: '呼入',
  answered: '接通',
  abandoned: '放弃',
  targetLine: '目标',
  slBelow: '低于目标',
  exportCsv: '下载今日分时段报表 (CSV)',
  language: '语言',
  day: '日期',
  queuesOn: (date) => `${date} 队列`,
  backToToday: '回到今日',
  exportCsvOf: (date) => `下载 ${date} 分时段报表 (CSV)`,
  loadingDay: '正在读取历史数据…',
  pastHint: '历史日期：排队数与最长等待仅在今日显示。',
  chartsOn: (date) => `${date} 分时段`,
  lastWeekSl: (date) => `上周同日服务水平 (${date})`,
  lastWeekOffered: (date) => `上周同日呼入量 (${date})`,
}

export const MANAGE_TEXTS: Record<Lang, ManageText> = { en: EN, zh: ZH }

export const MANAGE_TEXT = MANAGE_TEXTS[LANG]

/**
 * The words of the managers' page that explain a figure: the calls behind a service level
 * and the staffing charts (calls waiting, occupancy). Chinese terms follow the handbook
 * (服务水平, 排队数, 座席占用率).
 */
import type { CallOutcome, SlCount } from '../../shared/calls.ts'
import type { SlVariant } from '../../shared/settings.ts'
import { LANG, type Lang } from './lang.ts'
import { SL_CAPTIONS } from './sl-caption.ts'

export interface StaffingText {
  callsOf: (queue: string) => string
  openCalls: (queue: string) => string
  windowToday: string
  windowInterval: string
  /** In the queue table's words, so the list's totals read as the figure they explain. */
  totals: (met: string, offered: string, seconds: number, variant: SlVariant) => string
  matchesWall: string
  differsFromWall: (met: string, offered: string) => string
  shown: (shown: string, all: string) => string
  loading: string
  failed: string
  noCalls: string
  close: string
  callId: string
  entered: string
  outcome: string
  wait: string
  seconds: (value: string) => string
  serviceLevel: string
  outcomes: Record<CallOutcome, string>
  counts: Record<SlCount, string>
  answered: string
  abandoned: string
  left: string
  waitingNow: string
  waitingChart: string
  waitingPeak: string
  waitingAtEnd: string
  occupancyChart: (agents: number) => string
  occupancy: string
  calls: string
  noAgentTime: string
  allQueues: string
}

const EN: StaffingText = {
  callsOf: (queue) => `Calls behind the service level · ${queue}`,
  openCalls: (queue) => `Show the calls behind ${queue}'s service level`,
  windowToday: 'Today',
  windowInterval: 'This interval',
  totals: (met, offered, seconds, variant) =>
    `${SL_CAPTIONS.en[variant](met, offered, seconds).join(' ')} (formula ${variant})`,
  matchesWall: 'equal to the wall',
  differsFromWall: (met, offered) => `the wall shows ${met} / ${offered}`,
  shown: (shown, all) => `newest ${shown} of ${all} calls shown`,
  loading: 'Loading calls…',
  failed: 'The calls could not be loaded; retrying with the next update.',
  noCalls: 'No calls in this window.',
  close: 'Close',
  callId: 'Call',
  entered: 'Entered',
  outcome: 'Outcome',
  wait: 'Wait',
  seconds: (value) => `${value} s`,
  serviceLevel: 'Service level',
  outcomes: {
    answered: 'answered',
    abandoned: 'abandoned',
    left: 'left the queue',
    waiting: 'still waiting',
  },
  counts: {
    met: '✓ met',
    missed: '✗ missed',
    pending: '… not yet counted',
    earlier: '– counted earlier',
    excluded: '○ not in this formula',
  },
  answered: 'Answered',
  abandoned: 'Abandoned',
  left: 'Left',
  waitingNow: 'Waiting',
  waitingChart: 'Calls waiting per interval',
  waitingPeak: 'Most waiting at once',
  waitingAtEnd: 'Waiting at the interval’s end',
  occupancyChart: (agents) =>
    `Occupancy per interval (${agents} ${agents === 1 ? 'agent' : 'agents'})`,
  occupancy: 'Occupancy',
  calls: 'calls',
  noAgentTime: 'no agent time',
  allQueues: 'All queues',
}

const ZH: StaffingText = {
  callsOf: (queue) => `服务水平明细 · ${queue}`,
  openCalls: (queue) => `查看 ${queue} 服务水平的来电明细`,
  windowToday: '今日',
  windowInterval: '本时段',
  totals: (met, offered, seconds, variant) =>
    `${SL_CAPTIONS.zh[variant](met, offered, seconds).join(' ')}（公式 ${variant}）`,
  matchesWall: '与大屏一致',
  differsFromWall: (met, offered) => `大屏为 ${met} / ${offered}`,
  shown: (shown, all) => `显示最新 ${shown} 个,共 ${all} 个来电`,
  loading: '正在载入来电…',
  failed: '来电未能载入,将随下次更新重试。',
  noCalls: '此时段没有来电。',
  close: '关闭',
  callId: '来电',
  entered: '进入队列',
  outcome: '结果',
  wait: '等待',
  seconds: (value) => `${value} 秒`,
  serviceLevel: '服务水平',
  outcomes: {
    answered: '已接通',
    abandoned: '已放弃',
    left: '已离开队列',
    waiting: '仍在排队',
  },
  counts: {
    met: '✓ 达标',
    missed: '✗ 未达标',
    pending: '… 尚未计入',
    earlier: '– 已计入更早时段',
    excluded: '○ 不计入此公式',
  },
  answered: '接通',
  abandoned: '放弃',
  left: '离开',
  waitingNow: '排队数',
  waitingChart: '各时段排队数',
  waitingPeak: '最高排队数',
  waitingAtEnd: '时段结束时排队数',
  occupancyChart: (agents) => `各时段座席占用率(${agents} 名座席)`,
  occupancy: '座席占用率',
  calls: '个来电',
  noAgentTime: '无座席时间',
  allQueues: '全部队列',
}

export const STAFFING_TEXTS: Record<Lang, StaffingText> = { en: EN, zh: ZH }
export const STAFFING_TEXT: StaffingText = STAFFING_TEXTS[LANG]

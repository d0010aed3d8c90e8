/**
 * The words of the managers' Screens panel (web/manage/ScreensPanel.svelte), in English and
 * Simplified Chinese; figure names follow the handbook (服务水平, 接通率, 平均处理时长 …).
 */
import type { ScreenFigure, Theme } from '../../shared/screens.ts'
import { LANG, type Lang } from './lang.ts'

export interface ScreensText {
  title: string
  intro: string
  none: string
  name: string
  namePlaceholder: string
  nameHint: string
  add: string
  pages: string
  theme: string
  language: string
  changed: string
  updated: (by: string, when: string) => string
  edit: string
  open: string
  editing: (name: string) => string
  rotation: string
  rotationHint: string
  themes: Record<Theme, string>
  languages: Record<'auto' | 'zh' | 'en', string>
  page: (index: number, count: number) => string
  kind: string
  queuesPage: string
  agentsPage: string
  addQueuesPage: string
  addAgentsPage: string
  queues: string
  queuesHint: string
  teams: string
  teamsHint: string
  figures: string
  figureNames: Record<ScreenFigure, string>
  window: string
  total: string
  moveUp: string
  moveDown: string
  removePage: string
  save: string
  saved: string
  remove: string
  removed: (name: string) => string
  cancel: string
  refused: (field: string, error: string) => string
  /** A refusal whose words stand beside the field named. */
  refusedAt: (where: string) => string
  /** A 409: someone saved the screen after this editor read it. */
  conflict: (revision: number | undefined) => string
  reload: string
  /** Read again after a 409, the screen was found deleted. */
  gone: (name: string) => string
  /** Said to a supervisor or viewer, who sees the screens but no controls to change them. */
  adminOnly: string
}

const EN: ScreensText = {
  title: 'Screens',
  intro: 'What each named TV shows. A TV opens /?screen=NAME and follows changes within seconds.',
  none: 'No screens yet.',
  name: 'Name',
  namePlaceholder: 'floor-2-tv',
  nameHint: 'letters, digits, “-”, “_” or “.”',
  add: 'Add screen',
  pages: 'Pages',
  theme: 'Theme',
  language: 'Language',
  changed: 'Last change',
  updated: (by, when) => `${by}, ${when}`,
  edit: 'Edit',
  open: 'Open',
  editing: (name) => `Screen “${name}”`,
  rotation: 'Seconds per page',
  rotationHint: '5 to 3600; used when there are several pages',
  themes: { dark: 'Dark', light: 'Light', 'high-contrast': 'High contrast' },
  languages: { auto: 'The TV’s own', zh: '中文', en: 'English' },
  page: (index, count) => `Page ${index} of ${count}`,
  kind: 'Shows',
  queuesPage: 'Queue tiles',
  agentsPage: 'Agent board',
  addQueuesPage: '+ Page of queue tiles',
  addAgentsPage: '+ Page of the agent board',
  queues: 'Queues',
  queuesHint: 'comma-separated, in the order shown; empty for all',
  teams: 'Teams',
  teamsHint: 'comma-separated team ids; empty for all',
  figures: 'Figures on each tile',
  figureNames: {
    serviceLevel: 'Service level',
    waiting: 'Waiting',
    longestWait: 'Longest wait',
    asa: 'ASA',
    abandonRate: 'Abandon rate',
    answerRate: 'Answer rate',
    aht: 'AHT',
    offeredAnswered: 'Offered / answered',
  },
  window: 'Window',
  total: 'Show the total tile',
  moveUp: 'Move up',
  moveDown: 'Move down',
  removePage: 'Remove page',
  save: 'Save',
  saved: 'Saved: the TV shows it within seconds.',
  remove: 'Delete screen',
  removed: (name) => `Screen “${name}” deleted.`,
  cancel: 'Close',
  refused: (field, error) => `Not saved — ${field}: ${error}`,
  refusedAt: (where) => `Not saved — see “${where}”.`,
  conflict: (revision) =>
    `Not saved: someone else saved this screen meanwhile${
      revision === undefined ? '' : ` (revision ${revision})`
    }. Reload it to see their change, then make yours again.`,
  reload: 'Reload the screen',
  gone: (name) => `Someone deleted “${name}” meanwhile. Save to make it again as shown here.`,
  adminOnly: 'Only an admin may change the screens.',
}

const ZH: ScreensText = {
  title: '屏幕',
  intro: '每台命名电视显示的内容。电视打开 /?screen=名称，数秒内随修改更新。',
  none: '尚无屏幕。',
  name: '名称',
  namePlaceholder: 'floor-2-tv',
  nameHint: '字母、数字、“-”、“_”或“.”',
  add: '添加屏幕',
  pages: '页面',
  theme: '主题',
  language: '语言',
  changed: '最后修改',
  updated: (by, when) => `${by}，${when}`,
  edit: '编辑',
  open: '打开',
  editing: (name) => `屏幕“${name}”`,
  rotation: '每页秒数',
  rotationHint: '5 至 3600；多页时轮播',
  themes: { dark: '深色', light: '浅色', 'high-contrast': '高对比度' },
  languages: { auto: '电视自身设置', zh: '中文', en: 'English' },
  page: (index, count) => `第 ${index} 页，共 ${count} 页`,
  kind: '显示内容',
  queuesPage: '队列磁贴',
  agentsPage: '座席看板',
  addQueuesPage: '+ 队列磁贴页',
  addAgentsPage: '+ 座席看板页',
  queues: '队列',
  queuesHint: '以逗号分隔，按显示顺序；留空为全部',
  teams: '班组',
  teamsHint: '以逗号分隔的班组编号；留空为全部',
  figures: '每个磁贴显示的指标',
  figureNames: {
    serviceLevel: '服务水平',
    waiting: '排队数',
    longestWait: '最长等待',
    asa: '平均应答速度',
    abandonRate: '放弃率',
    answerRate: '接通率',
    aht: '平均处理时长',
    offeredAnswered: '呼入 / 接通',
  },
  window: '时间窗口',
  total: '显示合计磁贴',
  moveUp: '上移',
  moveDown: '下移',
  removePage: '删除此页',
  save: '保存',
  saved: '已保存：电视将在数秒内显示。',
  remove: '删除屏幕',
  removed: (name) => `屏幕“${name}”已删除。`,
  cancel: '关闭',
  refused: (field, error) => `未保存 — ${field}：${error}`,
  refusedAt: (where) => `未保存 — 请查看“${where}”。`,
  conflict: (revision) =>
    `未保存：在此期间已有他人保存了此屏幕${
      revision === undefined ? '' : `（第 ${revision} 版）`
    }。请重新读取，查看对方的修改后再做您的修改。`,
  reload: '重新读取屏幕',
  gone: (name) => `屏幕“${name}”已在此期间被删除。点击保存可按当前内容重新创建。`,
  adminOnly: '只有管理员可以修改屏幕。',
}

export const SCREENS_TEXTS: Record<Lang, ScreensText> = { en: EN, zh: ZH }
export const SCREENS_TEXT = SCREENS_TEXTS[LANG]

/**
 * The words of the managers' Settings panel (web/manage/SettingsPanel.svelte), in English
 * and Simplified Chinese; figure names follow the handbook (服务水平, 放弃率).
 */
import type { QueueSettings, SiteSettings, SlVariant } from '../../shared/settings.ts'
import { LANG, type Lang } from './lang.ts'

export interface SettingsText {
  title: string
  intro: string
  loading: string
  queueRows: string
  queue: string
  defaultRow: string
  threshold: string
  target: string
  variant: string
  shortAbandon: string
  shortAbandonHint: string
  variants: Record<SlVariant, string>
  remove: (queue: string) => string
  addQueue: string
  addQueueLabel: string
  add: string
  site: string
  tz: string
  tzHint: string
  dayStart: string
  interval: string
  minutes: (value: number) => string
  save: string
  saving: string
  saved: (version: number) => string
  refused: string
  /** A refused save whose wrong fields each say why beside themselves. */
  wrongFields: (count: number) => string
  /** A 409: someone saved the settings after this form read them. */
  conflict: (version: number | undefined) => string
  reload: string
  adminOnly: string
  audit: string
  auditEmpty: string
  auditHidden: string
  when: string
  who: string
  what: string
  openAccess: string
  none: string
  seconds: (value: number) => string
  /** A change's place in the list of changes: "Default · target", "Site · time zone". */
  changedDefault: string
  changedSite: string
  changedRow: string
  fieldNames: Record<keyof QueueSettings | keyof SiteSettings, string>
}

const EN: SettingsText = {
  title: 'Settings',
  intro:
    'How each queue’s service level is counted and judged, and the site’s clock. ' +
    'Changes count from the next call event on every screen; figures already counted stay.',
  loading: 'Reading the settings…',
  queueRows: 'Queues',
  queue: 'Queue',
  defaultRow: 'Default (every other queue)',
  threshold: 'Threshold T (s)',
  target: 'Target (%)',
  variant: 'Service-level formula',
  shortAbandon: 'Short abandon S (s)',
  shortAbandonHint: '0 = off; abandons within S leave the abandon rate (and V5, V6)',
  variants: {
    V1: 'V1 · abandons within T ignored',
    V2: 'V2 · answered within T ÷ offered (handbook)',
    V3: 'V3 · abandons within T count as met',
    V4: 'V4 · answered calls only',
    V5: 'V5 · short abandons not offered',
    V6: 'V6 · short abandons count as met',
  },
  remove: (queue) => `Remove ${queue} (it follows the default again)`,
  addQueue: 'Give a queue its own settings',
  addQueueLabel: 'Queue name',
  add: 'Add',
  site: 'Site clock',
  tz: 'Time zone',
  tzHint: 'IANA name, e.g. Asia/Shanghai',
  dayStart: 'Day starts at',
  interval: 'Interval length',
  minutes: (value) => `${value} min`,
  save: 'Save settings',
  saving: 'Saving…',
  saved: (version) => `Saved as version ${version}; every screen follows within moments.`,
  refused: 'Not saved: ',
  wrongFields: (count) =>
    count === 1
      ? 'Not saved: 1 field is wrong; it says why beside it.'
      : `Not saved: ${count} fields are wrong; each says why beside it.`,
  conflict: (version) =>
    `Not saved: someone else saved the settings meanwhile${
      version === undefined ? '' : ` (version ${version})`
    }. Reload them to see their change, then make yours again.`,
  reload: 'Reload the saved settings',
  adminOnly: 'Only an admin may change the settings.',
  audit: 'Changes',
  auditEmpty: 'No change yet: the settings are those of the environment.',
  auditHidden: 'The list of changes is for admins.',
  when: 'When',
  who: 'Who',
  what: 'What changed',
  openAccess: 'open access',
  none: '—',
  seconds: (value) => `${value} s`,
  changedDefault: 'Default',
  changedSite: 'Site',
  changedRow: 'own settings',
  fieldNames: {
    thresholdSeconds: 'T',
    targetPercent: 'target',
    variant: 'formula',
    shortAbandonSeconds: 'S',
    tz: 'time zone',
    dayStart: 'day starts at',
    intervalMinutes: 'interval',
  },
}

const ZH: SettingsText = {
  title: '设置',
  intro:
    '各队列服务水平的计算与考核方式，以及站点时钟。修改从下一个呼叫事件起在所有屏幕生效；已计入的数据不变。',
  loading: '正在读取设置…',
  queueRows: '队列',
  queue: '队列',
  defaultRow: '默认（其他所有队列）',
  threshold: '服务水平阈值 T（秒）',
  target: '目标（%）',
  variant: '服务水平计算公式',
  shortAbandon: '短放弃 S（秒）',
  shortAbandonHint: '0 = 关闭；S 秒内放弃的呼叫不计入放弃率（以及 V5、V6）',
  variants: {
    V1: 'V1 · 忽略 T 秒内放弃',
    V2: 'V2 · T 秒内接通 ÷ 呼入量（规范默认）',
    V3: 'V3 · T 秒内放弃计为达标',
    V4: 'V4 · 仅计接通呼叫',
    V5: 'V5 · 短放弃不计入呼入量',
    V6: 'V6 · 短放弃计为达标',
  },
  remove: (queue) => `删除 ${queue}（恢复使用默认）`,
  addQueue: '为队列单独设置',
  addQueueLabel: '队列名称',
  add: '添加',
  site: '站点时钟',
  tz: '时区',
  tzHint: 'IANA 名称，例如 Asia/Shanghai',
  dayStart: '每日开始时间',
  interval: '时段长度',
  minutes: (value) => `${value} 分钟`,
  save: '保存设置',
  saving: '正在保存…',
  saved: (version) => `已保存为第 ${version} 版；所有屏幕即刻跟随。`,
  refused: '未保存：',
  wrongFields: (count) => `未保存：有 ${count} 项填写有误，原因见各项旁。`,
  conflict: (version) =>
    `未保存：在此期间已有他人保存了设置${
      version === undefined ? '' : `（第 ${version} 版）`
    }。请重新读取，查看对方的修改后再做您的修改。`,
  reload: '重新读取已保存的设置',
  adminOnly: '只有管理员可以修改设置。',
  audit: '修改记录',
  auditEmpty: '尚无修改：当前使用环境变量中的设置。',
  auditHidden: '修改记录仅管理员可见。',
  when: '时间',
  who: '修改人',
  what: '修改内容',
  openAccess: '未启用访问控制',
  none: '—',
  seconds: (value) => `${value} 秒`,
  changedDefault: '默认',
  changedSite: '站点',
  changedRow: '单独设置',
  fieldNames: {
    thresholdSeconds: 'T',
    targetPercent: '目标',
    variant: '计算公式',
    shortAbandonSeconds: 'S',
    tz: '时区',
    dayStart: '每日开始时间',
    intervalMinutes: '时段长度',
  },
}

export const SETTINGS_TEXTS: Record<Lang, SettingsText> = { en: EN, zh: ZH }

export const SETTINGS_TEXT = SETTINGS_TEXTS[LANG]

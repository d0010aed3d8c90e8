/**
 * What a notification says, and the request bodies that carry it: callboard's own JSON, a
 * Slack incoming-webhook body, and the markdown bodies of WeCom (企业微信) and DingTalk
 * (钉钉) group robots. The chat bodies say it in English and Simplified Chinese.
 */
import { createHash } from 'node:crypto'
import { DateTime } from 'luxon'
import type { AlertUnit, Incident, RuleName } from '../../shared/alerts.ts'
import type { WindowName } from '../../shared/windows.ts'
import type { Webhook } from './alert-rules.ts'
import type { QueuedDelivery } from './incident-store.ts'
import type { Delivery } from './outbox.ts'

/** What happened to the incident. */
export type NoticeEvent = 'opened' | 'resolved' | 'repeat'

const RULE_TEXT: Record<RuleName, { en: string; zh: string }> = {
  serviceLevel: { en: 'service level', zh: '服务水平' },
  callsWaiting: { en: 'calls waiting', zh: '排队数' },
  longestWait: { en: 'longest wait', zh: '最长等待' },
  abandonRate: { en: 'abandon rate', zh: '放弃率' },
  feedSilent: { en: 'no events received', zh: '事件中断' },
  agentNotReady: { en: 'not ready', zh: '示忙超时' },
  agentAdherence: { en: 'out of adherence', zh: '未遵守排班' },
}

const EVENT_TEXT: Record<NoticeEvent, { en: string; zh: string }> = {
  opened: { en: 'ALERT', zh: '告警' },
  repeat: { en: 'STILL FIRING', zh: '持续告警' },
  resolved: { en: 'RESOLVED', zh: '已恢复' },
}

const WINDOW_TEXT: Record<WindowName, { en: string; zh: string }> = {
  today: { en: 'today', zh: '今日' },
  interval: { en: 'this interval', zh: '本时段' },
  '15m': { en: 'last 15 min', zh: '近15分钟' },
  '30m': { en: 'last 30 min', zh: '近30分钟' },
  '60m': { en: 'last 60 min', zh: '近60分钟' },
}

const SEVERITY_RANK = { info: 0, warning: 1, critical: 2 } as const

const COLOURS = { info: '#3b82f6', warning: '#f59e0b', critical: '#dc2626', resolved: '#16a34a' }

/** A value in its unit: "62.5 %", "7 calls", "95 s", "17 min". */
export function formatValue(value: number | null, unit: AlertUnit): string {
  if (value === null) return '—'
  if (unit === 'percent') return `${(Math.round(value * 10) / 10).toString()} %`
  if (unit === 'calls') return `${Math.round(value)} calls`
  if (unit === 'seconds') return `${Math.round(value)} s`
  return `${Math.round(value)} min`
}

/** One line in English: "ALERT Sales: service level 62.5 % (last 30 min), fires below 80 %". */
export function describeEn(event: NoticeEvent, incident: Incident, tz: string): string {
  const rule = RULE_TEXT[incident.rule].en
  const window = incident.window === null ? '' : ` (${WINDOW_TEXT[incident.window].en})`
  const head = `${EVENT_TEXT[event].en} ${incident.label}: ${rule}`

  if (event === 'resolved') {
    const now = formatValue(incident.resolvedValue, incident.unit)
    const times = `at ${clock(incident.resolvedAt, tz)}, open since ${clock(incident.openedAt, tz)}`
    return `${head} back to ${now}${window} ${times}`
  }
  const value = formatValue(incident.value, incident.unit)
  const level = `${firesWhen(incident)} ${formatValue(incident.fire, incident.unit)}`
  return `${head} ${value}${window}, ${level}, since ${clock(incident.breachSince, tz)}`
}

/** The same in Simplified Chinese. */
export function describeZh(event: NoticeEvent, incident: Incident, tz: string): string {
  const rule = RULE_TEXT[incident.rule].zh
  const window = incident.window === null ? '' : `（${WINDOW_TEXT[incident.window].zh}）`
  const head = `【${EVENT_TEXT[event].zh}】${incident.label} ${rule}`

  if (event === 'resolved') {
    const now = formatValue(incident.resolvedValue, incident.unit)
    return `${head}已恢复至 ${now}${window}，${clock(incident.resolvedAt, tz)} 恢复`
  }
  const value = formatValue(incident.value, incident.unit)
  const side = incident.rule === 'serviceLevel' ? '低于' : '达到'
  const level = formatValue(incident.fire, incident.unit)
  return `${head} ${value}${window}，${side}告警线 ${level}，自 ${clock(incident.breachSince, tz)} 起`
}

/** The request body for one webhook. */
export function webhookBody(
  hook: Webhook,
  event: NoticeEvent,
  incident: Incident,
  tz: string,
): string {
  const en = describeEn(event, incident, tz)
  const zh = describeZh(event, incident, tz)
  const colour = event === 'resolved' ? COLOURS.resolved : COLOURS[incident.severity]

  switch (hook.format) {
    case 'slack':
      return JSON.stringify({
        text: en,
        attachments: [
          { color: colour, text: `severity: ${incident.severity} · id ${incident.id}` },
        ],
      })
    case 'wecom':
      return JSON.stringify({
        msgtype: 'markdown',
        markdown: { content: chatMarkdown(event, zh, en, incident, true) },
      })
    case 'dingtalk':
      return JSON.stringify({
        msgtype: 'markdown',
        markdown: { title: zh.slice(0, 60), text: chatMarkdown(event, zh, en, incident, false) },
      })
    default:
      return JSON.stringify({ event: `incident.${event}`, text: en, textZh: zh, incident })
  }
}

// WeCom's markdown colours text with <font color="warning|info|comment">; DingTalk's does not
// render that tag, so it gets plain bold.
function chatMarkdown(
  event: NoticeEvent,
  zh: string,
  en: string,
  incident: Incident,
  wecom: boolean,
): string {
  const tone = event === 'resolved' ? 'info' : 'warning'
  const title = wecom ? `<font color="${tone}">${zh}</font>` : `**${zh}**`
  return [title, '', `> ${en}`, '', `> severity: ${incident.severity} · id ${incident.id}`].join(
    '\n',
  )
}

function firesWhen(incident: Incident): string {
  return incident.rule === 'serviceLevel' ? 'fires below' : 'fires at'
}

function clock(ms: number | null, tz: string): string {
  if (ms === null) return '—'
  return DateTime.fromMillis(ms, { zone: tz }).toFormat('HH:mm')
}

/** The deliveries of one notice: one to each webhook that takes the incident's severity. */
export function queueNotices(
  webhooks: readonly Webhook[],
  event: NoticeEvent,
  incident: Incident,
  tz: string,
): QueuedDelivery[] {
  return webhooks
    .filter((hook) => SEVERITY_RANK[incident.severity] >= SEVERITY_RANK[hook.minSeverity])
    .map((hook) => {
      const delivery: Delivery = {
        url: hook.url,
        format: hook.format,
        event,
        incidentId: incident.id,
        body: webhookBody(hook, event, incident, tz),
        attempts: 0,
      }
      // Deliveries to one webhook about one incident go out in order; the URL's hash keeps
      // its access token out of the outbox's ids.
      const hook12 = createHash('sha1').update(hook.url).digest('hex').slice(0, 12)
      return { group: `${incident.id}:${hook12}`, json: JSON.stringify(delivery) }
    })
}

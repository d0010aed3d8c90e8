/**
 * The wall's reading of the open incidents: which tile shows which, in what words, and
 * which of them are new enough to sound.
 */
import { incidentStatus, tileOf, type Incident } from '../../shared/alerts.ts'
import { formatClock, formatDuration } from './format.ts'
import { ALERT_TEXT } from './text.ts'

const SEVERITY_ORDER = { critical: 0, warning: 1, info: 2 } as const

/**
 * The incidents a tile shows, worst first: its own (a queue's, or all queues' on the total
 * tile) and the feed's, which puts every figure on the wall in doubt. Agents' incidents
 * belong to the agent board.
 */
export function incidentsForTile(incidents: readonly Incident[], queue: string | null) {
  return incidents
    .filter((incident) => incident.scope === 'site' || tileOf(incident) === queue)
    .sort(
      (a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || a.openedAt - b.openedAt,
    )
}

/** What is wrong, in a few words: "SL 62 % < 80 %", "7 waiting ≥ 5". */
export function describeIncident(incident: Incident): string {
  const { value, fire } = incident

  switch (incident.rule) {
    case 'serviceLevel':
      return ALERT_TEXT.serviceLevel(Math.floor(value), fire)
    case 'abandonRate':
      return ALERT_TEXT.abandonRate(value.toFixed(1), fire)
    case 'callsWaiting':
      return ALERT_TEXT.callsWaiting(Math.round(value), fire)
    case 'longestWait':
      return ALERT_TEXT.longestWait(formatDuration(value), formatDuration(fire))
    case 'feedSilent':
      return ALERT_TEXT.feedSilent(formatDuration(value))
    case 'agentNotReady':
      return ALERT_TEXT.agentNotReady(incident.label, Math.round(value))
    case 'agentAdherence':
      return ALERT_TEXT.agentAdherence(incident.label, Math.round(value))
  }
}

/** Since when, and who has seen to it: "since 10:42", "ack 李伟 10:45", "snoozed to 11:00". */
export function describeStatus(incident: Incident, now: number, tz?: string): string {
  const clock = (ms: number) => formatClock(ms, tz).slice(0, 5)
  const status = incidentStatus(incident, now)

  if (status === 'acknowledged') {
    return ALERT_TEXT.acknowledged(incident.acknowledgedBy ?? '', clock(incident.acknowledgedAt!))
  }
  if (status === 'snoozed') return ALERT_TEXT.snoozed(clock(incident.snoozedUntil!))
  return ALERT_TEXT.since(clock(incident.breachSince))
}

/**
 * Incidents that should sound now: firing (not acknowledged or snoozed) and not among
 * `heard`, the ids sounded before. Adds them to `heard`.
 */
export function toSound(incidents: readonly Incident[], heard: Set<string>, now: number) {
  const fresh = incidents.filter(
    (incident) => !heard.has(incident.id) && incidentStatus(incident, now) === 'firing',
  )
  for (const incident of fresh) heard.add(incident.id)
  return fresh
}

/**
 * The wall's reading of the open incidents: which tile shows which, in what words, and
 * which of them are new enough to sound.
 */
import { incidentStatus, tileOf, type Incident } from '../../shared/alerts.ts'
import type { Figures } from '../../shared/figures.ts'
import type { WindowName } from '../../shared/windows.ts'
import { formatClock, formatDuration } from './format.ts'
import { longestWaitNow } from './tiles.ts'
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

/** What a tile shows now, to read an incident's figure from. */
export interface TileReading {
  figures: Figures | null
  /** The window of the tile's figures. */
  window: WindowName
  /** Epoch ms (browser clock) the figures arrived, and the time they are shown at. */
  receivedAt: number
  now: number
}

/**
 * The incident's figure now, in the incident's unit. An incident keeps the value it opened
 * with, which contradicts the tile beside it once the figure moves, so the banner reads the
 * tile's: rates only when the tile's window is the rule's, calls waiting and the longest
 * wait whatever its window (they are of this moment). Null when the tile cannot tell.
 */
export function currentValue(incident: Incident, tile: TileReading): number | null {
  const figures = tile.figures
  const sameWindow = incident.window === null || incident.window === tile.window
  // While it stays open, a silence or an agent's state has gone on since it opened.
  const sinceOpened = Math.max(0, tile.now - incident.openedAt)

  switch (incident.rule) {
    case 'feedSilent':
      return incident.value + sinceOpened / 1000
    case 'agentNotReady':
    case 'agentAdherence':
      return incident.value + sinceOpened / 60_000
    case 'callsWaiting':
      return figures?.waiting ?? null
    case 'longestWait':
      return longestWaitNow(figures, tile.receivedAt, tile.now)
    case 'serviceLevel':
      return sameWindow && figures?.serviceLevel != null ? figures.serviceLevel * 100 : null
    case 'abandonRate':
      return sameWindow && figures?.abandonRate != null ? figures.abandonRate * 100 : null
  }
}

/** What is wrong, in a few words: "SL 62 % < 80 %", "7 waiting ≥ 5"; `value` as above. */
export function describeIncident(incident: Incident, value: number | null): string {
  const { fire } = incident
  const known = <T>(show: (value: number) => T) => (value === null ? null : show(value))

  switch (incident.rule) {
    case 'serviceLevel':
      return ALERT_TEXT.serviceLevel(known(Math.floor), fire)
    case 'abandonRate':
      return ALERT_TEXT.abandonRate(
        known((v) => v.toFixed(1)),
        fire,
      )
    case 'callsWaiting':
      return ALERT_TEXT.callsWaiting(known(Math.round), fire)
    case 'longestWait':
      return ALERT_TEXT.longestWait(known(formatDuration), formatDuration(fire))
    case 'feedSilent':
      return ALERT_TEXT.feedSilent(formatDuration(value ?? incident.value))
    case 'agentNotReady':
      return ALERT_TEXT.agentNotReady(incident.label, Math.round(value ?? incident.value))
    case 'agentAdherence':
      return ALERT_TEXT.agentAdherence(incident.label, Math.round(value ?? incident.value))
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

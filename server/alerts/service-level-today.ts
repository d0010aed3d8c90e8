/**
 * Today's service level per quarter hour for each queue and for the queues together, with
 * the times incidents opened and closed: what the wall draws its sparklines from.
 */
import type { Incident, ServiceLevelSeries, ServiceLevelToday } from '../../shared/alerts.ts'
import { addCounters, emptyCounters, type Counters } from '../../shared/figures.ts'
import { serviceLevelParts } from '../../shared/sl-variants.ts'
import { dayStartOf, nextDayStart, QUARTER_MS } from '../../shared/windows.ts'
import type { LiveFigures } from '../live/live-figures.ts'
import type { AlertService } from './alert-service.ts'

export async function serviceLevelToday(
  live: LiveFigures,
  alerts: AlertService,
  now: number,
  queues?: readonly string[],
): Promise<ServiceLevelToday> {
  const engine = live.engine
  const time = engine.settings.time
  const at = Math.max(now, engine.clock)
  const dayStart = dayStartOf(at, time)
  const names = queues ?? engine.queueNames()

  const history = await alerts.store.history(dayStart, at, 1000)
  const seen = new Set(history.map((incident) => incident.id))
  const incidents = [...history, ...alerts.openIncidents().filter((i) => !seen.has(i.id))]

  const series = (
    counters: (start: number) => Counters,
    own: (i: Incident) => boolean,
    queue: string | null,
  ) => {
    const points: ServiceLevelSeries['points'] = []
    // Each queue's points by its own formula variant, as its tile's figure.
    const variant = live.settings.rule(queue).variant
    for (let start = dayStart; start <= at; start += QUARTER_MS) {
      const c = counters(start)
      const sl = serviceLevelParts(c, variant)
      const serviceLevel = sl.offered > 0 ? sl.met / sl.offered : null
      points.push({ at: start, serviceLevel, offered: c.offered })
    }
    const marks = incidents.filter(own).map(({ id, rule, openedAt, resolvedAt }) => {
      return { id, rule, openedAt, resolvedAt }
    })
    return { points, incidents: marks.sort((a, b) => a.openedAt - b.openedAt) }
  }
  const quarter = (name: string, start: number) =>
    engine.sumQueue(emptyCounters(), name, start, start, false)

  return {
    asOf: at,
    dayStart,
    dayEnd: nextDayStart(dayStart, time),
    target: live.settings.rule(null).target,
    queues: Object.fromEntries(
      names.map((name) => [
        name,
        series(
          (start) => quarter(name, start),
          (i) => i.scope === 'queue' && i.subject === name,
          name,
        ),
      ]),
    ),
    total: series(
      (start) =>
        names.reduce((sum, name) => addCounters(sum, quarter(name, start)), emptyCounters()),
      (i) => i.scope === 'all',
      null,
    ),
  }
}

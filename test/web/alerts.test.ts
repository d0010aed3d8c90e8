import { describe, expect, it } from 'vitest'
import type { Incident } from '../../shared/alerts.ts'
import type { Figures } from '../../shared/figures.ts'
import {
  currentValue,
  describeIncident,
  describeStatus,
  incidentsForTile,
  toSound,
} from '../../web/lib/alerts.ts'
import { sparklinePath } from '../../web/lib/sparkline-path.ts'

const AT = Date.UTC(2026, 11, 3, 2, 42)

function incident(fields: Partial<Incident>): Incident {
  return {
    id: 'i1',
    key: 'serviceLevel|queue|Sales',
    rule: 'serviceLevel',
    scope: 'queue',
    subject: 'Sales',
    label: 'Sales',
    severity: 'critical',
    state: 'open',
    unit: 'percent',
    window: '30m',
    fire: 80,
    clear: 82,
    breachSince: AT,
    openedAt: AT + 60_000,
    value: 62.5,
    acknowledgedAt: null,
    acknowledgedBy: null,
    snoozedAt: null,
    snoozedBy: null,
    snoozedUntil: null,
    resolvedAt: null,
    resolvedValue: null,
    notifications: 1,
    nextRepeatAt: null,
    rev: 1,
    ...fields,
  }
}

describe('the wall’s alerts', () => {
  it('shows a queue’s incidents on its tile, all queues’ on the total, the feed’s on all', () => {
    const sales = incident({ id: 'a', severity: 'warning' })
    const total = incident({ id: 'b', scope: 'all', subject: null })
    const feed = incident({ id: 'c', scope: 'site', subject: null, rule: 'feedSilent' })
    const agent = incident({ id: 'd', scope: 'agent', subject: '1001', rule: 'agentNotReady' })
    const all = [sales, total, feed, agent]

    // Worst first: the critical feed incident before the Sales warning.
    expect(incidentsForTile(all, 'Sales').map((i) => i.id)).toEqual(['c', 'a'])
    expect(incidentsForTile(all, null).map((i) => i.id)).toEqual(['b', 'c'])
    expect(incidentsForTile(all, 'Support').map((i) => i.id)).toEqual(['c'])
  })

  it('says what is wrong in a few words, rounding service level down as the tile does', () => {
    expect(describeIncident(incident({}), 62.5)).toBe('SL 62 % < 80 %')
    expect(describeIncident(incident({ rule: 'callsWaiting', fire: 5 }), 7)).toBe('7 waiting ≥ 5')
    const wait = incident({ rule: 'longestWait', value: 135, fire: 120 })
    expect(describeIncident(wait, 135)).toBe('Longest wait 2:15 ≥ 2:00')
    expect(describeIncident(incident({ rule: 'feedSilent', value: 400 }), 400)).toBe(
      'No events for 6:40',
    )
    // Without the figure now, only the limit: never the value it opened with.
    expect(describeIncident(incident({}), null)).toBe('SL < 80 %')
    expect(describeIncident(wait, null)).toBe('Longest wait ≥ 2:00')
  })

  it('reads the figure now from the tile, not the value the incident opened with', () => {
    const figures = (fields: Partial<Figures>): Figures => ({
      ...{ offered: 0, answered: 0, abandoned: 0, exited: 0, answeredWithinThreshold: 0 },
      ...{ abandonedShort: 0, handled: 0, serviceLevelMet: 0, serviceLevelOffered: 0 },
      ...{ serviceLevel: null, abandonRate: null, answerRate: null, asa: null, aht: null },
      ...{ waiting: null, longestWait: null },
      ...fields,
    })
    // Opened at AT + 60 s with SL 62.5 % over 30 minutes; the tile's 30 minutes now say 71 %.
    const tile = {
      figures: figures({ serviceLevel: 0.71, waiting: 9, longestWait: 400, abandonRate: 0.125 }),
      window: '30m' as const,
      receivedAt: AT + 120_000,
      now: AT + 125_000,
    }
    expect(currentValue(incident({}), tile)).toBeCloseTo(71, 9)
    expect(currentValue(incident({ rule: 'abandonRate' }), tile)).toBeCloseTo(12.5, 9)
    // Another window's rate is not the rule's; waiting and the longest wait are of now.
    const today = { ...tile, window: 'today' as const }
    expect(currentValue(incident({}), today)).toBeNull()
    expect(currentValue(incident({ rule: 'callsWaiting' }), today)).toBe(9)
    // 400 s when the figures came, 5 s before now: 6:45.
    expect(currentValue(incident({ rule: 'longestWait' }), today)).toBe(405)
    // Silent for 400 s when it opened at AT + 60 s; now is 65 s later: 465 s, 7:45.
    const silent = incident({ rule: 'feedSilent', scope: 'site', value: 400, window: null })
    expect(describeIncident(silent, currentValue(silent, tile))).toBe('No events for 7:45')
    expect(currentValue(incident({}), { ...tile, figures: null })).toBeNull()
  })

  it('says since when, or who acknowledged it, or until when it is snoozed', () => {
    expect(describeStatus(incident({}), AT, 'Asia/Shanghai')).toBe('since 10:42')
    const acked = incident({ acknowledgedAt: AT + 180_000, acknowledgedBy: '李伟' })
    expect(describeStatus(acked, AT, 'Asia/Shanghai')).toBe('ack 李伟 10:45')
    const snoozed = incident({ snoozedUntil: AT + 20 * 60_000 })
    expect(describeStatus(snoozed, AT, 'Asia/Shanghai')).toBe('snoozed to 11:02')
    expect(describeStatus(snoozed, AT + 21 * 60_000, 'Asia/Shanghai')).toBe('since 10:42')
  })

  it('sounds each firing incident once', () => {
    const heard = new Set<string>()
    const first = incident({ id: 'a' })
    const quiet = incident({ id: 'b', acknowledgedAt: AT, acknowledgedBy: 'x' })

    expect(toSound([first, quiet], heard, AT).map((i) => i.id)).toEqual(['a'])
    expect(toSound([first, quiet, incident({ id: 'c' })], heard, AT).map((i) => i.id)).toEqual([
      'c',
    ])
  })
})

describe('the sparkline path', () => {
  it('joins points with values, breaks at gaps and marks a lone point with a dash', () => {
    const levels = [null, 0.9, 0.7, null, 0.5, null, null, 1]
    const path = sparklinePath(
      levels.map((level, index) => ({ index, level })),
      (p) => p.index * 10,
      (p) => (p.level === null ? null : 40 - p.level * 40),
    )
    expect(path).toBe('M10,4L20,12M39,20h2M69,0h2')
  })
})

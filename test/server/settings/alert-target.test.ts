/**
 * The built-in service-level alert judges each queue by its own target from the settings;
 * a fire level set apart in the alert rules stays as set.
 */
import { describe, expect, it } from 'vitest'
import { deriveFigures, emptyCounters, type FigureRule } from '../../../shared/figures.ts'
import type { Snapshot } from '../../../shared/protocol.ts'
import { judge, type AlertInputs } from '../../../server/alerts/judge.ts'
import { buildRuleBook } from '../../../server/alerts/rule-book.ts'

const NOW = Date.UTC(2026, 11, 3, 10, 0, 0)

/** Both queues at 85 % of 100 calls; Sales's target is 90 %, Support's the site's 80 %. */
function inputs(): AlertInputs {
  const figures = (target: number) => {
    const rule: FigureRule = { thresholdSeconds: 20, target, variant: 'V2' }
    const counters = { ...emptyCounters(), offered: 100, answeredWithinThreshold: 85 }
    return deriveFigures(counters, { waiting: 0, oldestEnteredAt: null }, NOW, rule)
  }
  const snapshot: Snapshot = {
    asOf: NOW,
    window: '30m',
    windowStart: NOW - 30 * 60_000,
    windowLabel: 'last 30 min',
    streamId: '0-0',
    threshold: 20,
    target: 0.8,
    tz: 'UTC',
    queues: { Sales: figures(0.9), Support: figures(0.8) },
    total: figures(0.8),
  }
  return {
    time: { tz: 'UTC', dayStartMinutes: 0, intervalMinutes: 30 },
    snapshot: () => snapshot,
    lastArrivalAt: () => NOW,
    agents: () => null,
  }
}

const serviceLevelOf = (queue: string, book: ReturnType<typeof buildRuleBook>) =>
  judge(book, inputs(), NOW).judgements.find(
    (j) => j.rule === 'serviceLevel' && j.subject === queue,
  )

describe('the service-level alert and the settings', () => {
  it('fires below each queue’s own target and clears 2 points above it', () => {
    const book = buildRuleBook(80, {}, {})

    // 85 % is below Sales's 90 % and above Support's 80 %.
    expect(serviceLevelOf('Sales', book)).toMatchObject({ fire: 90, clear: 92, breaching: true })
    expect(serviceLevelOf('Support', book)).toMatchObject({
      fire: 80,
      clear: 82,
      breaching: false,
    })
  })

  it('keeps a fire level set in the alert rules', () => {
    const file = { queues: { Sales: { serviceLevel: { fire: 70, clear: 75 } } } }
    const book = buildRuleBook(80, file, {})

    expect(serviceLevelOf('Sales', book)).toMatchObject({ fire: 70, clear: 75, breaching: false })
  })
})

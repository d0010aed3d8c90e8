import { describe, expect, it } from 'vitest'
import type { CanonicalEvent } from '../../../shared/events.ts'
import type { FigureRule } from '../../../shared/figures.ts'
import { Engine, ENGINE_DEFAULTS } from '../../../server/engine/engine.ts'
import { reportDay } from '../../../server/engine/report.ts'
import { takeSnapshot } from '../../../server/engine/snapshot.ts'
import { totalRule } from '../../../server/engine/total-rule.ts'

// The total of several queues is judged by the rule they all share, else by the default
// row's: a wall of Sales alone on V1 must not show a Total judged by V2 beside it.

const UTC = { tz: 'UTC', dayStartMinutes: 0, intervalMinutes: 30 as const }
const DAY = Date.parse('2026-12-03T00:00:00Z')
const at = (hms: string) => Date.parse(`2026-12-03T${hms}Z`)

const DEFAULT_ROW: FigureRule = { thresholdSeconds: 20, target: 0.8, variant: 'V2' }
const V1_ROW: FigureRule = { thresholdSeconds: 20, target: 0.8, variant: 'V1' }

/** A visit entering at `hms` that is answered (or abandons) after `waitS`. */
function visit(queue: string, id: string, hms: string, waitS: number, abandon = false) {
  const enteredAt = at(hms)
  const left = { queue, callId: id, ts: enteredAt + waitS * 1000, waitMs: waitS * 1000 }
  const leave: CanonicalEvent = abandon
    ? { type: 'call.abandon', ...left }
    : { type: 'call.answer', ...left, agent: 'PJSIP/1001' }
  return [{ type: 'call.enter', queue, callId: id, ts: enteredAt } as CanonicalEvent, leave]
}

/**
 * Sales, 10:00–10:09, T = 20 s: s1–s3 answered after 5 s (met), s4–s5 abandoned after 5 s
 * (within T), s6–s9 answered after 30 s (missed). Offered 9, met 3, abandoned within T 2.
 *   V1: 3 ÷ (9 − 2) = 3/7 ≈ 42.9 %    V2: 3 ÷ 9 ≈ 33.3 %
 * Support, 10:10: t1 answered after 5 s. Offered 1, met 1.
 */
const EVENTS: CanonicalEvent[] = [
  ...visit('Sales', 's1', '10:00:00', 5),
  ...visit('Sales', 's2', '10:01:00', 5),
  ...visit('Sales', 's3', '10:02:00', 5),
  ...visit('Sales', 's4', '10:03:00', 5, true),
  ...visit('Sales', 's5', '10:04:00', 5, true),
  ...visit('Sales', 's6', '10:05:00', 30),
  ...visit('Sales', 's7', '10:06:00', 30),
  ...visit('Sales', 's8', '10:07:00', 30),
  ...visit('Sales', 's9', '10:08:00', 30),
  ...visit('Support', 't1', '10:10:00', 5),
].sort((a, b) => a.ts - b.ts)

function engineWith(rules: (queue: string | null) => FigureRule): Engine {
  const engine = new Engine({ ...ENGINE_DEFAULTS, time: UTC, figureRule: rules })
  for (const event of EVENTS) engine.apply(event)
  return engine
}

/** Sales has a V1 row of its own; Support, and the default row, are V2. */
const salesOnV1 = (queue: string | null) => (queue === 'Sales' ? V1_ROW : DEFAULT_ROW)
const NOW = at('10:30:00')

describe('the total on the wall (takeSnapshot)', () => {
  const engine = engineWith(salesOnV1)
  const snapshot = (queues?: string[]) =>
    takeSnapshot(engine, {
      window: 'today',
      now: NOW,
      streamId: '1-0',
      target: 0.8,
      rules: salesOnV1,
      ...(queues === undefined ? {} : { queues }),
    })

  it("of Sales alone is judged by Sales's V1: 3/7, as Sales's own tile", () => {
    const { queues, total } = snapshot(['Sales'])

    expect(queues.Sales?.serviceLevel).toBeCloseTo(3 / 7, 10)
    expect(total).toMatchObject({ serviceLevelMet: 3, serviceLevelOffered: 7, variant: 'V1' })
    expect(total.serviceLevel).toBeCloseTo(3 / 7, 10)
  })

  it("of Sales and Support, whose rules differ, is judged by the default row's V2", () => {
    // (3 + 1) met ÷ (9 + 1) offered = 40 %.
    const { total } = snapshot()

    expect(total).toMatchObject({ serviceLevelMet: 4, serviceLevelOffered: 10, variant: 'V2' })
    expect(total.serviceLevel).toBeCloseTo(0.4, 10)
  })

  it('of queues sharing one rule other than the default row is judged by that rule', () => {
    // Both on V1 with T = 30 s and a 90 % target: the total carries them. Under T = 30 s
    // Sales's late answers (30 s) are met too: Sales 7 met ÷ (9 − 2), Support 1 ÷ 1;
    // total (7 + 1) ÷ (10 − 2) = 100 %.
    const shared: FigureRule = { thresholdSeconds: 30, target: 0.9, variant: 'V1' }
    const rules = (queue: string | null) => (queue === null ? DEFAULT_ROW : shared)
    const engine = new Engine({
      ...ENGINE_DEFAULTS,
      time: UTC,
      queueCounting: () => ({ thresholdSeconds: 30, shortAbandonSeconds: 0 }),
    })
    for (const event of EVENTS) engine.apply(event)
    const { total } = takeSnapshot(engine, {
      window: 'today',
      now: NOW,
      streamId: '1-0',
      target: 0.8,
      rules,
    })

    expect(total).toMatchObject({
      serviceLevelMet: 8,
      serviceLevelOffered: 8,
      threshold: 30,
      target: 0.9,
      variant: 'V1',
    })
  })
})

describe('the total of a report day (reportDay)', () => {
  const engine = engineWith(salesOnV1)

  it("of Sales alone is judged by Sales's V1, its day and its 10:00 interval", () => {
    const day = reportDay(engine, DAY, ['Sales'])
    const interval = day.intervals.find((row) => row.start === '10:00')

    expect(day.total).toMatchObject({ serviceLevelMet: 3, serviceLevelOffered: 7 })
    expect(day.total.variant).toBe('V1')
    expect(interval?.total).toMatchObject({ serviceLevelMet: 3, serviceLevelOffered: 7 })
  })

  it("of all queues, whose rules differ, is judged by the default row's V2: 4/10", () => {
    const day = reportDay(engine, DAY)

    expect(day.total).toMatchObject({ serviceLevelMet: 4, serviceLevelOffered: 10 })
    expect(day.total.variant).toBe('V2')
  })
})

describe('the short-abandon seconds a total names', () => {
  const row = (variant: FigureRule['variant'], shortAbandonSeconds: number): FigureRule => ({
    ...DEFAULT_ROW,
    variant,
    shortAbandonSeconds,
  })

  it('are the S its queues share, even when their formulas differ', () => {
    // S counts and does not judge: V1 and V5 differ, so the default row's V2 judges, but
    // every short abandon in the sum was one by S = 5 s.
    const rules = (queue: string | null) =>
      queue === null ? row('V2', 0) : row(queue === 'Sales' ? 'V1' : 'V5', 5)

    expect(totalRule(rules, ['Sales', 'Support'])).toEqual(row('V2', 5))
  })

  it('are none when its queues count by different S', () => {
    const rules = (queue: string | null) => row('V5', queue === 'Sales' ? 5 : 10)

    const total = totalRule(rules, ['Sales', 'Support'])
    expect(total).toEqual({ thresholdSeconds: 20, target: 0.8, variant: 'V5' })
    expect(total).not.toHaveProperty('shortAbandonSeconds')
  })
})

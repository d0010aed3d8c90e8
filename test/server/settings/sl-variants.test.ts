/**
 * The service-level formula variants V1–V6 and short abandons, counted by the real engine
 * and read as the wall reads them, against the published examples of kpi-reference.md
 * §10.1 (Cisco's 70/10/20 and the ICMI Queue Tips data set).
 */
import { describe, expect, it } from 'vitest'
import type { CanonicalEvent } from '../../../shared/events.ts'
import type { FigureRule } from '../../../shared/figures.ts'
import { SL_VARIANTS, type SlVariant } from '../../../shared/settings.ts'
import { Engine, ENGINE_DEFAULTS } from '../../../server/engine/engine.ts'
import { takeSnapshot } from '../../../server/engine/snapshot.ts'

const UTC = { tz: 'UTC', dayStartMinutes: 0, intervalMinutes: 30 as const }
const START = Date.parse('2026-12-03T08:00:00Z')

/** Calls of one kind: how many, how long each waited, and how it left. */
interface Batch {
  count: number
  waitS: number
  leave: 'answer' | 'abandon'
}

/** Each call enters a second after the one before and leaves after its wait. */
function callsOf(batches: Batch[]): CanonicalEvent[] {
  const events: CanonicalEvent[] = []
  let n = 0
  for (const { count, waitS, leave } of batches) {
    for (let i = 0; i < count; i++, n++) {
      const callId = `c${n}`
      const enteredAt = START + n * 1000
      const ts = enteredAt + waitS * 1000
      const waitMs = waitS * 1000
      events.push({ type: 'call.enter', queue: 'Q', callId, ts: enteredAt })
      events.push(
        leave === 'answer'
          ? { type: 'call.answer', queue: 'Q', callId, ts, waitMs, agent: 'PJSIP/1001' }
          : { type: 'call.abandon', queue: 'Q', callId, ts, waitMs },
      )
    }
  }
  return events.sort((a, b) => a.ts - b.ts)
}

function figuresOf(events: CanonicalEvent[], variant: SlVariant, shortS: number) {
  const engine = new Engine({
    ...ENGINE_DEFAULTS,
    time: UTC,
    retainMs: null,
    queueCounting: () => ({ thresholdSeconds: 20, shortAbandonSeconds: shortS }),
  })
  for (const event of events) engine.apply(event)
  const now = (events.at(-1)?.ts ?? START) + 60_000
  engine.advance(now)

  const rule: FigureRule = { thresholdSeconds: 20, target: 0.8, variant }
  const snapshot = takeSnapshot(engine, {
    window: 'today',
    now,
    streamId: '0-0',
    target: 0.8,
    rules: () => rule,
  })
  return snapshot.queues.Q
}

const percent = (value: number | null | undefined) =>
  value == null ? null : Math.round(value * 10_000) / 100

describe('service-level variants through the engine', () => {
  // Cisco Reporting Guide 7.2: 70 answered within T, 10 abandoned within T, 20 past T,
  // 100 offered. Type 1 = 70 / (100 − 10), type 2 = 70 / 100, type 3 = (70 + 10) / 100.
  const cisco = callsOf([
    { count: 70, waitS: 10, leave: 'answer' },
    { count: 10, waitS: 12, leave: 'abandon' },
    { count: 20, waitS: 45, leave: 'answer' },
  ])

  it('gives Cisco types 1, 2 and 3 as V1, V2 and V3', () => {
    expect(percent(figuresOf(cisco, 'V1', 0)?.serviceLevel)).toBe(77.78)
    expect(percent(figuresOf(cisco, 'V2', 0)?.serviceLevel)).toBe(70)
    expect(percent(figuresOf(cisco, 'V3', 0)?.serviceLevel)).toBe(80)

    const v3 = figuresOf(cisco, 'V3', 0)
    expect([v3?.serviceLevelMet, v3?.serviceLevelOffered]).toEqual([80, 100])
  })

  // ICMI Queue Tips: 1000 answered, 860 of them within T; 60 abandoned: 20 within T (10 of
  // those within 5 s), 40 after. Waits of exactly 20 s and 5 s sit on the boundaries
  // (≤ T is within, ≤ S is short).
  const icmi = callsOf([
    { count: 800, waitS: 8, leave: 'answer' },
    { count: 60, waitS: 20, leave: 'answer' },
    { count: 140, waitS: 35, leave: 'answer' },
    { count: 5, waitS: 3, leave: 'abandon' },
    { count: 5, waitS: 5, leave: 'abandon' },
    { count: 10, waitS: 15, leave: 'abandon' },
    { count: 40, waitS: 50, leave: 'abandon' },
  ])

  it('gives the ICMI formulas #1–#4 with short abandons off', () => {
    const sl = (variant: SlVariant) => percent(figuresOf(icmi, variant, 0)?.serviceLevel)

    expect(sl('V3')).toBe(83.02) // ICMI #1: (860 + 20) / 1060
    expect(sl('V4')).toBe(86) // ICMI #2: 860 / 1000
    expect(sl('V2')).toBe(81.13) // ICMI #3: 860 / 1060
    expect(sl('V1')).toBe(82.69) // ICMI #4: 860 / (1000 + 40)
    // With S off nothing is short: V5 and V6 are V2.
    expect(sl('V5')).toBe(81.13)
    expect(sl('V6')).toBe(81.13)
  })

  it('gives ICMI #5 and Genesys with short abandons off for S = 5 s', () => {
    const sl = (variant: SlVariant) => percent(figuresOf(icmi, variant, 5)?.serviceLevel)

    expect(sl('V6')).toBe(82.08) // ICMI #5: (860 + 10) / 1060
    expect(sl('V5')).toBe(81.9) // Genesys, short abandons off: 860 / 1050
    // Cisco with a 5 s short-call timer: type 1 = 860 / 1040, type 2 = 860 / 1050.
    expect(sl('V1')).toBe(82.69)
    // The variants that do not mention short abandons do not move with S.
    expect(sl('V2')).toBe(81.13)
    expect(sl('V3')).toBe(83.02)
    expect(sl('V4')).toBe(86)
  })

  it('leaves short abandons out of the abandon rate and counts them', () => {
    const off = figuresOf(icmi, 'V2', 0)
    const on = figuresOf(icmi, 'V2', 5)

    // 60 / 1060 with S off; (60 − 10) / (1060 − 10) = 50 / 1050 with S = 5 s.
    expect(percent(off?.abandonRate)).toBe(5.66)
    expect(percent(on?.abandonRate)).toBe(4.76)
    expect([off?.abandonedShort, on?.abandonedShort]).toEqual([0, 10])
    expect(on?.abandoned).toBe(60)
  })

  it('carries the rule it was judged by on every figure', () => {
    for (const variant of SL_VARIANTS) {
      const figures = figuresOf(cisco, variant, 0)
      expect([figures?.variant, figures?.threshold, figures?.target]).toEqual([variant, 20, 0.8])
    }
  })
})

describe('a queue whose settings change', () => {
  it('counts each call by the threshold of the moment its SL event comes', () => {
    let thresholdSeconds = 20
    const engine = new Engine({
      ...ENGINE_DEFAULTS,
      time: UTC,
      retainMs: null,
      queueCounting: () => ({ thresholdSeconds, shortAbandonSeconds: 0 }),
    })
    const apply = (event: CanonicalEvent) => engine.apply(event)
    const answer = (callId: string, ts: number, waitS: number): CanonicalEvent => ({
      type: 'call.answer',
      queue: 'Q',
      callId,
      ts,
      waitMs: waitS * 1000,
      agent: 'PJSIP/1001',
    })

    // A: 25 s wait under T = 20 → a miss. Then T becomes 30: B's 25 s wait is within.
    // C enters at 0:40 and is still waiting at 1:05 (25 s): within the new T, not yet a
    // miss. At 1:15 (35 s) it is one. So offered 3 (A, B, C), met 1 (B).
    apply({ type: 'call.enter', queue: 'Q', callId: 'A', ts: START })
    apply(answer('A', START + 25_000, 25))
    thresholdSeconds = 30
    engine.countingChanged()
    apply({ type: 'call.enter', queue: 'Q', callId: 'B', ts: START + 30_000 })
    apply(answer('B', START + 55_000, 25))
    apply({ type: 'call.enter', queue: 'Q', callId: 'C', ts: START + 40_000 })
    engine.advance(START + 65_000)
    const read = () =>
      takeSnapshot(engine, { window: 'today', now: engine.clock, streamId: '0-0', target: 0.8 })
        .queues.Q

    expect([read()?.answeredWithinThreshold, read()?.offered]).toEqual([1, 2])
    engine.advance(START + 75_000)
    expect([read()?.answeredWithinThreshold, read()?.offered]).toEqual([1, 3])
  })
})

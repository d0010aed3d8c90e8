import { describe, expect, it } from 'vitest'
import { Engine, ENGINE_DEFAULTS } from '../../../server/engine/engine.ts'

// The history writes the quarters the engine says changed: each once per change, again
// after a late event, and those too old for the engine to count too (they are counted
// again from the stream).

const Q = 15 * 60_000
const T0 = Date.parse('2026-11-30T10:00:00Z')

function engine(): Engine {
  return new Engine({
    ...ENGINE_DEFAULTS,
    time: { tz: 'UTC', dayStartMinutes: 0, intervalMinutes: 30 },
    retainMs: 26 * 3_600_000,
  })
}

const sorted = (quarters: { queue: string | null; start: number }[]) =>
  quarters.map((q) => `${q.queue ?? '*'}@${(q.start - T0) / Q}`).sort()

describe('changed quarters', () => {
  it('hands out each changed quarter once, and again when a late event changes it', () => {
    const e = engine()
    // Sales enters at 10:01 and is answered at 10:16 after 15 min: the entry changes calls
    // waiting (10:00, queue and all), the answer the 10:15 quarter's counters and waiting;
    // the SL miss at 10:01:20 falls in 10:00.
    e.apply({ type: 'call.enter', queue: 'Sales', callId: 'a', ts: T0 + 60_000 })
    e.apply({
      type: 'call.answer',
      queue: 'Sales',
      callId: 'a',
      ts: T0 + Q + 60_000,
      waitMs: 15 * 60_000,
      agent: '1001',
    })
    expect(sorted(e.takeChangedQuarters())).toEqual(['*@0', '*@1', 'Sales@0', 'Sales@1'])
    expect(e.takeChangedQuarters()).toEqual([])

    // A late abandon stamped 10:05 (after 3 s): counted in 10:00 again.
    e.apply({ type: 'call.enter', queue: 'Sales', callId: 'b', ts: T0 + 5 * 60_000 })
    e.apply({
      type: 'call.abandon',
      queue: 'Sales',
      callId: 'b',
      ts: T0 + 5 * 60_000 + 3000,
      waitMs: 3000,
    })
    expect(sorted(e.takeChangedQuarters())).toContain('Sales@0')
    expect(e.quarterCounters('Sales', T0)).toMatchObject({ offered: 2, abandoned: 1 })
  })

  it('names a quarter too old to count here, which it does not count', () => {
    const e = engine()
    e.advance(T0 + 30 * 3_600_000)
    e.apply({
      type: 'call.answer',
      queue: 'Sales',
      callId: 'old',
      ts: T0 + 60_000,
      waitMs: 5000,
      agent: '1001',
    })
    expect(sorted(e.takeChangedQuarters())).toEqual(['Sales@0'])
    expect(e.quarterCounters('Sales', T0)).toBeUndefined()
  })

  it('keeps naming that quarter when a minute turns before the history takes it', () => {
    const e = engine()
    e.advance(T0 + 30 * 3_600_000)
    // The queue holds nothing else: the old event is its only trace. The history takes
    // changed quarters every 2 s; the engine prunes its queues when a minute turns.
    e.apply({ type: 'call.enter', queue: 'Sales', callId: 'old', ts: T0 + 60_000 })
    e.advance(T0 + 30 * 3_600_000 + 60_000)

    // Gone from the figures, since it holds nothing, but not from what the history takes.
    expect(e.queueNames()).not.toContain('Sales')
    expect(sorted(e.takeChangedQuarters())).toEqual(['Sales@0'])
    expect(e.takeChangedQuarters()).toEqual([])
  })
})

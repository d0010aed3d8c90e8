import { describe, expect, it } from 'vitest'
import { Engine, ENGINE_DEFAULTS, type ServiceLevelMark } from '../../../server/engine/engine.ts'
import { WaitingPeaks } from '../../../server/engine/waiting-peaks.ts'
import type { CanonicalEvent } from '../../../shared/events.ts'

const UTC = { tz: 'UTC', dayStartMinutes: 0, intervalMinutes: 30 as const }
const at = (hms: string) => Date.parse(`2026-12-03T${hms}Z`)

describe('calls waiting per quarter', () => {
  it('keeps the peak and the closing level, and carries the level into quiet quarters', () => {
    const peaks = new WaitingPeaks()
    // 09:00:00 →1, 09:05 →2, 09:10 →1, 09:20 →0 | 09:29 →1 | nothing until 10:10 →0.
    peaks.note(at('09:00:00'), 1)
    peaks.note(at('09:05:00'), 2)
    peaks.note(at('09:10:00'), 1)
    peaks.note(at('09:20:00'), 0)
    peaks.note(at('09:29:00'), 1)
    peaks.note(at('10:10:00'), 0)

    expect(peaks.span(at('09:00:00'), at('09:15:00'))).toEqual({ peak: 2, atEnd: 1 })
    expect(peaks.span(at('09:00:00'), at('09:30:00'))).toEqual({ peak: 2, atEnd: 1 })
    // 09:30–10:00 had no change: the one call carried in waited throughout.
    expect(peaks.span(at('09:30:00'), at('10:00:00'))).toEqual({ peak: 1, atEnd: 1 })
    expect(peaks.span(at('10:00:00'), at('10:30:00'))).toEqual({ peak: 1, atEnd: 0 })
    expect(peaks.span(at('08:00:00'), at('08:30:00'))).toEqual({ peak: 0, atEnd: 0 })
    expect(peaks.span(at('11:00:00'), at('11:30:00'))).toEqual({ peak: 0, atEnd: 0 })
  })

  it('raises an earlier quarter for a late change, and the level now moves on', () => {
    const peaks = new WaitingPeaks()
    peaks.note(at('10:00:00'), 1)
    // A late enter stamped 09:40 arrives while one call waits: two wait now.
    peaks.note(at('09:40:00'), 2)

    expect(peaks.span(at('09:30:00'), at('10:00:00')).peak).toBe(2)
    expect(peaks.span(at('10:00:00'), at('10:30:00'))).toEqual({ peak: 2, atEnd: 2 })
  })

  it('forgets old quarters but keeps the newest, so the level still carries', () => {
    const peaks = new WaitingPeaks()
    peaks.note(at('01:00:00'), 3)
    peaks.prune(at('12:00:00'))

    expect(peaks.size).toBe(1)
    expect(peaks.span(at('12:00:00'), at('12:30:00'))).toEqual({ peak: 3, atEnd: 3 })
  })
})

describe("the engine's SL listener", () => {
  it('is told of each count, and of a miss taken back when a late answer was within T', () => {
    const marks: ServiceLevelMark[] = []
    const engine = new Engine({
      ...ENGINE_DEFAULTS,
      time: UTC,
      onServiceLevel: (mark) => marks.push(mark),
    })
    const events: CanonicalEvent[] = [
      { type: 'call.enter', queue: 'Q', callId: 'a', ts: at('09:00:00') },
      // The clock passes T = 20 s before the answer (stamped 09:00:15) arrives.
      { type: 'call.enter', queue: 'Q', callId: 'b', ts: at('09:00:30') },
      {
        type: 'call.answer',
        queue: 'Q',
        callId: 'a',
        ts: at('09:00:15'),
        agent: 'PJSIP/1001',
        waitMs: 15_000,
      },
    ]
    for (const event of events) engine.apply(event)

    // a: a miss at 09:00:20 (counted when b's entry moved the clock), taken back, then met
    // at its answer. Offered in the end: 1, met 1.
    expect(marks.map(({ callId, at: when, change, met }) => [callId, when, change, met])).toEqual([
      ['a', at('09:00:20'), 1, false],
      ['a', at('09:00:20'), -1, false],
      ['a', at('09:00:15'), 1, true],
    ])
    expect(engine.waitingSpan('Q', at('09:00:00'), at('09:15:00'))).toEqual({ peak: 2, atEnd: 1 })
    expect(engine.waitingSpan(null, at('09:00:00'), at('09:15:00'))).toEqual({ peak: 2, atEnd: 1 })
  })
})

import { describe, expect, it } from 'vitest'
import type { CanonicalEvent } from '../../../shared/events.ts'
import { Engine, ENGINE_DEFAULTS } from '../../../server/engine/engine.ts'
import { takeSnapshot } from '../../../server/engine/snapshot.ts'

const UTC = { tz: 'UTC', dayStartMinutes: 0, intervalMinutes: 30 as const }
const at = (hms: string) => Date.parse(`2026-12-03T${hms}Z`)

function engineWith(events: CanonicalEvent[]): Engine {
  const engine = new Engine({ ...ENGINE_DEFAULTS, time: UTC })
  for (const event of events) engine.apply(event)
  return engine
}

const enter = (callId: string, hms: string, queue = 'Q'): CanonicalEvent => ({
  type: 'call.enter',
  queue,
  callId,
  ts: at(hms),
})
const answer = (callId: string, hms: string, waitS: number, queue = 'Q'): CanonicalEvent => ({
  type: 'call.answer',
  queue,
  callId,
  ts: at(hms),
  agent: 'PJSIP/1001',
  waitMs: waitS * 1000,
})

// A morning worked out by hand (T = 20 s):
//   A enters 10:00:00, answered 10:00:15 (wait 15): offered and met at 10:00:15; ends
//     10:02:15 after 120 s of talk.
//   B enters 10:00:05, answered 10:00:45 (wait 40): a miss at 10:00:25.
//   C enters 10:01:00, abandons 10:01:10 (wait 10): offered, not met, at 10:01:10.
//   D enters 10:01:00, times out 10:06:00 (wait 300): a miss at 10:01:20, exited.
//   E enters 10:10:00, still waiting at 10:10:30: a miss at 10:10:20.
//   F enters 10:10:25, still waiting at 10:10:30: not offered yet (wait 5 s).
// At 10:10:30: offered 5 (A–E), met 1 → SL 20 %; answered 2, ASA (15 + 40) / 2 = 27.5 s;
// abandoned 1 → 1/5 = 20 %; exited 1; handled 1, AHT 120 s; waiting 2, longest 30 s.
const morning: CanonicalEvent[] = [
  enter('A', '10:00:00'),
  enter('B', '10:00:05'),
  answer('A', '10:00:15', 15),
  answer('B', '10:00:45', 40),
  enter('C', '10:01:00'),
  enter('D', '10:01:00'),
  { type: 'call.abandon', queue: 'Q', callId: 'C', ts: at('10:01:10'), waitMs: 10_000 },
  {
    type: 'call.end',
    queue: 'Q',
    callId: 'A',
    ts: at('10:02:15'),
    agent: 'PJSIP/1001',
    talkMs: 120_000,
    holdMs: 0,
    wrapMs: 0,
    reason: 'caller',
  },
  {
    type: 'call.exit',
    queue: 'Q',
    callId: 'D',
    ts: at('10:06:00'),
    waitMs: 300_000,
    reason: 'timeout',
  },
  enter('E', '10:10:00'),
  enter('F', '10:10:25'),
]

const expectedMorning = {
  offered: 5,
  answeredWithinThreshold: 1,
  serviceLevel: 0.2,
  answered: 2,
  asa: 27.5,
  abandoned: 1,
  abandonRate: 0.2,
  exited: 1,
  handled: 1,
  aht: 120,
  waiting: 2,
  longestWait: 30,
}

describe('Engine', () => {
  it('computes the hand-worked morning for today, the interval and a rolling window', () => {
    const engine = engineWith(morning)
    engine.advance(at('10:10:30'))

    for (const window of ['today', 'interval', '15m'] as const) {
      const snap = takeSnapshot(engine, {
        window,
        now: at('10:10:30'),
        streamId: '1-0',
        target: 0.8,
      })
      expect(snap.queues.Q).toMatchObject(expectedMorning)
      expect(snap.total).toMatchObject(expectedMorning)
    }
  })

  it('counts a waiting call as a miss the moment its wait passes T, with no new event', () => {
    const engine = engineWith([enter('E', '10:10:00')])
    const read = (now: number) =>
      takeSnapshot(engine, { window: 'today', now, streamId: '1-0', target: 0.8 }).queues.Q

    engine.advance(at('10:10:19'))
    expect(read(at('10:10:19'))).toMatchObject({ offered: 0, serviceLevel: null, waiting: 1 })

    engine.advance(at('10:10:20'))
    expect(read(at('10:10:20'))).toMatchObject({ offered: 1, serviceLevel: 0, waiting: 1 })
  })

  it('counts a call answered at exactly T as within the threshold', () => {
    const engine = engineWith([enter('A', '10:00:00'), answer('A', '10:00:20', 20)])
    const snap = takeSnapshot(engine, {
      window: 'today',
      now: at('10:01:00'),
      streamId: '1-0',
      target: 0.8,
    })
    expect(snap.queues.Q).toMatchObject({ offered: 1, answeredWithinThreshold: 1, serviceLevel: 1 })
  })

  it('moves a miss counted by the clock back when a late answer shows it was within T', () => {
    const inOrder = engineWith([enter('G', '10:20:00'), answer('G', '10:20:18', 18)])
    const late = engineWith([enter('G', '10:20:00')])
    late.advance(at('10:20:30'))
    late.apply(answer('G', '10:20:18', 18))

    for (const engine of [inOrder, late]) {
      engine.advance(at('10:21:00'))
      const snap = takeSnapshot(engine, {
        window: '15m',
        now: at('10:21:00'),
        streamId: '',
        target: 0.8,
      })
      expect(snap.queues.Q).toMatchObject({
        offered: 1,
        answeredWithinThreshold: 1,
        serviceLevel: 1,
      })
    }
  })

  it('ignores a second leave or end of the same call visit', () => {
    const engine = engineWith([
      ...morning,
      answer('A', '10:00:16', 16),
      { type: 'call.abandon', queue: 'Q', callId: 'B', ts: at('10:00:50'), waitMs: 45_000 },
    ])
    engine.advance(at('10:10:30'))
    const snap = takeSnapshot(engine, {
      window: 'today',
      now: at('10:10:30'),
      streamId: '',
      target: 0.8,
    })
    expect(snap.queues.Q).toMatchObject(expectedMorning)
  })

  it('derives the entry of a call whose ENTERQUEUE was never seen from its wait', () => {
    // Entered 09:59:30 (10:00:10 − 40 s): its SL event, a miss, is at 09:59:50, yesterday's
    // interval 09:30, not the 10:00 one.
    const engine = engineWith([answer('X', '10:00:10', 40)])
    const interval = takeSnapshot(engine, {
      window: 'interval',
      now: at('10:05:00'),
      streamId: '',
      target: 0.8,
    })
    expect(interval.queues.Q).toMatchObject({ offered: 0, answered: 1, asa: 40 })

    const today = takeSnapshot(engine, {
      window: 'today',
      now: at('10:05:00'),
      streamId: '',
      target: 0.8,
    })
    expect(today.queues.Q).toMatchObject({ offered: 1, answered: 1, serviceLevel: 0 })
  })

  it('keeps queues apart and sums them into the total', () => {
    const engine = engineWith([
      enter('1', '10:00:00', '报修热线'),
      answer('1', '10:00:05', 5, '报修热线'),
      enter('1', '10:00:06', 'Sales'),
      answer('1', '10:00:36', 30, 'Sales'),
    ])
    const snap = takeSnapshot(engine, {
      window: 'today',
      now: at('10:01:00'),
      streamId: '',
      target: 0.8,
    })

    expect(snap.queues['报修热线']).toMatchObject({ offered: 1, serviceLevel: 1, asa: 5 })
    expect(snap.queues.Sales).toMatchObject({ offered: 1, serviceLevel: 0, asa: 30 })
    expect(snap.total).toMatchObject({ offered: 2, serviceLevel: 0.5, asa: 17.5 })
  })

  it('drops figures out of a rolling window as the clock moves, with no event', () => {
    const engine = engineWith([enter('A', '10:00:00'), answer('A', '10:00:15', 15)])
    const read = (now: number) =>
      takeSnapshot(engine, { window: '15m', now, streamId: '', target: 0.8 }).queues.Q

    engine.advance(at('10:14:59'))
    expect(read(at('10:14:59'))?.offered).toBe(1)

    // At 10:15:30 the window starts at 10:00:30; minute buckets from 10:01 on are read.
    engine.advance(at('10:15:30'))
    expect(read(at('10:15:30'))?.offered).toBe(0)
    expect(read(at('10:15:30'))?.serviceLevel).toBeNull()
  })

  it('turns the day over at local midnight with no event at the boundary', () => {
    const shanghai = { tz: 'Asia/Shanghai', dayStartMinutes: 0, intervalMinutes: 30 as const }
    const engine = new Engine({ ...ENGINE_DEFAULTS, time: shanghai })
    // 23:50 Shanghai on 2 December is 15:50 UTC.
    engine.apply(enter('A', '15:50:00'))
    engine.apply(answer('A', '15:50:10', 10))
    const read = (hms: string) =>
      takeSnapshot(engine, { window: 'today', now: at(hms), streamId: '', target: 0.8 }).total

    expect(read('15:59:59').offered).toBe(1)
    expect(read('16:00:00').offered).toBe(0)
  })
})

describe('Engine clock limit', () => {
  it('does not let an event from a wrong clock fast-forward the figures', () => {
    const now = at('10:00:00')
    const engine = new Engine({ ...ENGINE_DEFAULTS, time: UTC, clockLimit: () => now + 5000 })
    engine.apply(enter('A', '09:59:50'))
    engine.apply({ ...enter('B', '10:00:00'), ts: Date.parse('2030-01-01T00:00:00Z') })

    expect(engine.clock).toBe(now + 5000)
    const snap = takeSnapshot(engine, { window: 'today', now, streamId: '', target: 0.8 })
    // A has waited 10 s at 10:00:00, not years: no SL event yet. B waits too, from 2030.
    expect(snap.queues.Q).toMatchObject({ offered: 0, waiting: 2, longestWait: 10 })
  })
})

describe('Engine and old entries', () => {
  it('does not show a call that entered longer ago than the maximum wait as waiting', () => {
    const engine = new Engine({ ...ENGINE_DEFAULTS, time: UTC, maxWaitMs: 3600_000 })
    engine.advance(at('12:00:00'))
    engine.apply(enter('old', '10:30:00'))
    engine.apply(enter('new', '11:30:00'))

    const snap = takeSnapshot(engine, {
      window: 'today',
      now: at('12:00:00'),
      streamId: '',
      target: 0.8,
    })
    // Both have passed T, so both are offered misses; only the 30-minute one still waits.
    expect(snap.queues.Q).toMatchObject({ offered: 2, waiting: 1, longestWait: 1800 })
  })
})

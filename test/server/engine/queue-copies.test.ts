import { describe, expect, it } from 'vitest'
import type { CanonicalEvent } from '../../../shared/events.ts'
import { WINDOWS } from '../../../shared/windows.ts'
import { Engine, ENGINE_DEFAULTS } from '../../../server/engine/engine.ts'
import { takeSnapshot } from '../../../server/engine/snapshot.ts'

// Several processes: each engine counts its own queues from their events and sets the
// others' from the copies their owners send. Whatever the split, every engine must show
// what one engine counting everything shows.

const Q = 15 * 60_000
const T0 = Date.parse('2026-11-30T10:00:00Z')
const QUEUES = ['Sales', 'Support', '报修热线']

function engine(owns: (queue: string) => boolean = () => true): Engine {
  const e = new Engine({
    ...ENGINE_DEFAULTS,
    time: { tz: 'UTC', dayStartMinutes: 0, intervalMinutes: 30 },
    retainMs: 26 * 3_600_000,
  })
  e.owns = owns
  return e
}

/** A seeded day of calls: answered, abandoned, still waiting, some past T. */
function calls(count: number, seed: number): CanonicalEvent[] {
  let state = seed
  const random = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31
  const events: CanonicalEvent[] = []

  for (let i = 0; i < count; i++) {
    const queue = QUEUES[i % 3]!
    const callId = `c${i}`
    const entered = T0 + Math.floor(random() * 3 * 3600_000)
    const waitMs = Math.floor(random() * 60_000)
    events.push({ type: 'call.enter', queue, callId, ts: entered })
    const fate = random()
    const left = entered + waitMs
    if (fate < 0.6) {
      events.push({ type: 'call.answer', queue, callId, ts: left, waitMs, agent: '1001' })
      const talkMs = Math.floor(random() * 300_000)
      events.push({
        type: 'call.end',
        queue,
        callId,
        ts: left + talkMs,
        talkMs,
        holdMs: 0,
        wrapMs: 0,
        agent: '1001',
        reason: 'caller',
      })
    } else if (fate < 0.9) {
      events.push({ type: 'call.abandon', queue, callId, ts: left, waitMs })
    }
  }
  return events.sort((a, b) => a.ts - b.ts)
}

function figuresOf(e: Engine, now: number) {
  return WINDOWS.map((window) => takeSnapshot(e, { window, now, streamId: '1-0', target: 0.8 }))
}

function spansOf(e: Engine, queue: string) {
  const spans = []
  for (let start = T0; start < T0 + 4 * 3600_000; start += Q) {
    spans.push(e.waitingSpan(queue, start, start + Q))
  }
  return spans
}

describe('queue copies between engines', () => {
  it('sets a queue counted elsewhere to its owner’s figures, worked out by hand', () => {
    const owner = engine((queue) => queue === 'Sales')
    const other = engine((queue) => queue !== 'Sales')
    // 10:00:00 a call enters Sales and waits; 10:00:05 another is answered after 5 s.
    const events: CanonicalEvent[] = [
      { type: 'call.enter', queue: 'Sales', callId: 'a', ts: T0 },
      { type: 'call.enter', queue: 'Sales', callId: 'b', ts: T0 + 1000 },
      { type: 'call.answer', queue: 'Sales', callId: 'b', ts: T0 + 6000, waitMs: 5000, agent: 'x' },
    ]
    for (const event of events) {
      owner.apply(event)
      other.apply(event)
    }
    // The other engine skipped Sales' events: nothing counted there yet.
    expect(other.live('Sales')).toEqual({ waiting: 0, oldestEnteredAt: null })

    other.restoreCopies(owner.takeCopies())
    const now = T0 + 10_000
    const [today] = figuresOf(other, now)
    // b answered within 20 s: offered 1, answered 1 within T; a still waits, since 10:00.
    expect(today?.queues.Sales).toMatchObject({ offered: 1, answered: 1, serviceLevel: 1 })
    expect(today?.queues.Sales).toMatchObject({ waiting: 1, longestWait: 10 })

    // At 10:00:20 a has waited 20 s: the owner counts the miss on its clock and sends it.
    owner.advance(T0 + 21_000)
    other.advance(T0 + 21_000)
    other.restoreCopies(owner.takeCopies())
    const [later] = figuresOf(other, T0 + 21_000)
    expect(later?.queues.Sales).toMatchObject({ offered: 2, serviceLevel: 0.5 })
    // Nothing changed since: the next copy is empty.
    expect(owner.takeCopies()).toEqual([])
  })

  it('shows on every engine what one engine counting all queues shows', () => {
    const events = calls(3000, 7)
    const whole = engine()
    const parts = [engine((queue) => queue === 'Sales'), engine((queue) => queue !== 'Sales')]

    // Copies are exchanged after batches of uneven size, as the stream reads them.
    for (let at = 0; at < events.length; at += 1 + (at % 37)) {
      const batch = events.slice(at, at + 1 + (at % 37))
      for (const event of batch) for (const e of [whole, ...parts]) e.apply(event)
      const [first, second] = parts as [Engine, Engine]
      second.restoreCopies(first.takeCopies())
      first.restoreCopies(second.takeCopies())
    }
    const now = T0 + 4 * 3600_000
    for (const e of [whole, ...parts]) e.advance(now)
    const [first, second] = parts as [Engine, Engine]
    second.restoreCopies(first.takeCopies())
    first.restoreCopies(second.takeCopies())

    expect(figuresOf(parts[0]!, now)).toEqual(figuresOf(whole, now))
    expect(figuresOf(parts[1]!, now)).toEqual(figuresOf(whole, now))
    for (const queue of QUEUES) {
      expect(spansOf(parts[0]!, queue)).toEqual(spansOf(whole, queue))
      expect(spansOf(parts[1]!, queue)).toEqual(spansOf(whole, queue))
    }
  })

  it('takes a queue over from an engine that counted it again, and sends it whole', () => {
    const events = calls(900, 11)
    const half = Math.floor(events.length / 2)
    const whole = engine()
    const taker = engine((queue) => queue !== 'Support')
    const watcher = engine((queue) => queue === 'Sales')

    for (const event of events.slice(0, half)) for (const e of [whole, taker]) e.apply(event)
    // The taker released nothing yet; Support's owner died: it counts Support again.
    const recount = engine((queue) => queue === 'Support')
    for (const event of events.slice(0, half)) recount.apply(event)
    taker.adopt(recount, recount.queueNames())
    taker.owns = () => true
    for (const event of events.slice(half)) for (const e of [whole, taker]) e.apply(event)

    const now = T0 + 4 * 3600_000
    whole.advance(now)
    taker.advance(now)
    expect(figuresOf(taker, now)).toEqual(figuresOf(whole, now))

    // A process that saw none of it gets every queue whole from one copy each.
    const copies = taker.takeCopies()
    expect(copies.map((copy) => copy.queue).sort()).toEqual([...QUEUES].sort())
    watcher.owns = () => false
    watcher.advance(now)
    watcher.restoreCopies(copies)
    expect(figuresOf(watcher, now)).toEqual(figuresOf(whole, now))
  })

  it('keeps a released queue’s figures until its new owner sends, and counts no miss', () => {
    const e = engine()
    e.apply({ type: 'call.enter', queue: 'Sales', callId: 'a', ts: T0 })
    e.release('Sales')
    e.owns = (queue) => queue !== 'Sales'

    // Past T: the released queue's waiting call is no longer this engine's to count.
    e.advance(T0 + 60_000)
    const [today] = figuresOf(e, T0 + 60_000)
    expect(today?.queues.Sales).toMatchObject({ offered: 0, waiting: 1, longestWait: 60 })
  })
})

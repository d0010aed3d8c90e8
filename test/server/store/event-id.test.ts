import { describe, expect, it } from 'vitest'
import type { CanonicalEvent } from '../../../shared/events.ts'
import { eventId } from '../../../server/store/event-store.ts'

describe('eventId', () => {
  // The ids below were computed by the first version (a key-list replacer and createHash).
  // A change would let a line re-sent across an upgrade through as a new event.
  it('hashes an event to the same id as every earlier version did', () => {
    const enter: CanonicalEvent = {
      type: 'call.enter',
      queue: '报修热线',
      callId: '1733212800.42',
      ts: 1733212800000,
      callerId: '13800138000',
    }
    const end: CanonicalEvent = {
      type: 'call.end',
      queue: 'Sales',
      callId: '1733212800.43',
      ts: 1733212900000,
      agent: 'PJSIP/1001',
      talkMs: 60000,
      holdMs: 0,
      wrapMs: 0,
      reason: 'caller',
    }

    expect(eventId(enter)).toBe('Ao_DKAhMuAHTzCk0evEJK2')
    expect(eventId(end)).toBe('loXRtNo5yzRd_gEDHMEQi6')
  })

  it('ignores the order of keys and any id already given', () => {
    const a = { type: 'call.enter', queue: 'Q', callId: 'c', ts: 1 } as const
    const b = { ts: 1, callId: 'c', id: 'given', queue: 'Q', type: 'call.enter' } as const

    expect(eventId(b)).toBe(eventId(a))
  })
})

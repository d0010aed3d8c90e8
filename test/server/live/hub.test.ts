import { afterEach, describe, expect, it, vi } from 'vitest'
import type { ServerMessage, Snapshot } from '../../../shared/protocol.ts'
import { silentLogger } from '../../../server/logger.ts'
import { Hub, type HubClient } from '../../../server/live/hub.ts'
import type { LiveFigures } from '../../../server/live/live-figures.ts'

// Issue 6: a client that does not read cannot grow the server's memory or hold others
// back: past 1 MiB queued it misses updates, then gets the latest whole one, and one
// stuck for `stuckMs` is closed. While the stream cannot be read, nothing is sent.

/** A stand-in for the live figures: one queue whose `offered` the test sets. */
function fakeLive() {
  let offered = 0
  let connected = true
  const listeners = new Set<() => void>()
  const live = {
    get connected() {
      return connected
    },
    onChange(listener: () => void) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    snapshot(): Snapshot {
      const figures = { offered } as unknown as Snapshot['total']
      return {
        asOf: Date.now(),
        window: 'today',
        windowStart: 0,
        windowLabel: '',
        streamId: `${offered}-0`,
        threshold: 20,
        target: 0.8,
        tz: 'UTC',
        queues: { Sales: figures },
        total: figures,
      }
    },
    agentSnapshot: () => null,
  }
  return {
    live: live as unknown as LiveFigures,
    set(value: number) {
      offered = value
      for (const listener of listeners) listener()
    },
    setConnected(value: boolean) {
      connected = value
    },
  }
}

/** A client whose socket holds `buffered` bytes, keeping what it was sent. */
function fakeClient() {
  const client = {
    buffered: 0,
    closed: false,
    received: [] as ServerMessage[],
    send(data: Buffer) {
      client.received.push(JSON.parse(data.toString()) as ServerMessage)
    },
    bufferedAmount: () => client.buffered,
    close() {
      client.closed = true
    },
  }
  return client satisfies HubClient
}

const offeredOf = (message: ServerMessage | undefined) =>
  message === undefined || message.type === 'heartbeat' ? null : message.total.offered

/** The figures a client shows: those of the last message that was not a heartbeat. */
const shown = (client: { received: ServerMessage[] }) =>
  offeredOf(client.received.findLast((message) => message.type !== 'heartbeat'))

describe('the hub', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  it('skips a client over 1 MiB behind, then sends it the latest whole update', () => {
    vi.useFakeTimers()
    const { live, set } = fakeLive()
    const hub = new Hub(live, { pushIntervalMs: 100, logger: silentLogger(), stuckMs: 30_000 })
    const slow = fakeClient()
    const quick = fakeClient()
    hub.start()
    hub.add(slow, { window: 'today' })
    hub.add(quick, { window: 'today' })

    slow.buffered = 2 * 1024 * 1024
    set(1)
    vi.advanceTimersByTime(1000)
    set(2)
    vi.advanceTimersByTime(1000)
    expect(slow.received.map(offeredOf)).toEqual([0])
    expect(shown(quick)).toBe(2)

    // Drained; nothing changed since, so the others get a heartbeat, it gets the figures.
    slow.buffered = 0
    vi.advanceTimersByTime(1000)
    expect(quick.received.at(-1)?.type).toBe('heartbeat')
    expect(slow.received.at(-1)).toMatchObject({ type: 'update', total: { offered: 2 } })
    vi.advanceTimersByTime(1000)
    expect(slow.received.at(-1)?.type).toBe('heartbeat')
    hub.stop()
  })

  it('closes a client that stays stuck, and keeps the others going', () => {
    vi.useFakeTimers()
    const { live, set } = fakeLive()
    const hub = new Hub(live, { pushIntervalMs: 100, logger: silentLogger(), stuckMs: 5000 })
    const stuck = fakeClient()
    const quick = fakeClient()
    hub.start()
    hub.add(stuck, { window: 'today' })
    hub.add(quick, { window: 'today' })

    stuck.buffered = 5 * 1024 * 1024
    for (let second = 1; second <= 4; second++) {
      set(second)
      vi.advanceTimersByTime(1000)
    }
    expect(stuck.closed).toBe(false)
    vi.advanceTimersByTime(2000)
    expect(stuck.closed).toBe(true)
    expect(quick.received.length).toBeGreaterThanOrEqual(7)
    expect(shown(quick)).toBe(4)
    hub.stop()
  })

  it('sends nothing while the stream cannot be read, and the latest once it can', () => {
    vi.useFakeTimers()
    const { live, set, setConnected } = fakeLive()
    const hub = new Hub(live, { pushIntervalMs: 100, logger: silentLogger() })
    const wall = fakeClient()
    hub.start()
    hub.add(wall, { window: 'today' })

    setConnected(false)
    const before = wall.received.length
    const late = fakeClient()
    hub.add(late, { window: 'today' })
    vi.advanceTimersByTime(5000)
    expect(wall.received.length).toBe(before)
    expect(late.received).toEqual([])

    setConnected(true)
    set(7)
    vi.advanceTimersByTime(1000)
    expect(shown(wall)).toBe(7)
    expect(offeredOf(late.received[0])).toBe(7)
    hub.stop()
  })
})

import { describe, expect, it } from 'vitest'
import type { Snapshot, UpdateMessage } from '../../../shared/protocol.ts'
import { newPrefix, post, serversPerTest, type TestServer } from '../../helpers/test-server.ts'
import { TestSocket } from '../../helpers/ws-client.ts'
import { clockAt } from '../../helpers/set-clock.ts'

// Issue 6: a real server turns the day (and the interval) over by the clock, with no event
// at the boundary: at local midnight, on a DST day of 25 hours and across the DST change
// itself, and at 04:00 in a 24-hour centre. The server's clock is set to just before the
// boundary and then runs at the normal speed; the wall's socket sees the turn.

const startServer = serversPerTest()

async function serve(clock: { now: () => number }, env: Record<string, string>) {
  return startServer(env, newPrefix(), { now: clock.now })
}

/** `count` calls answered after 5 s, entering at `iso` (the site's clock). */
function calls(tag: string, iso: string, count: number): string {
  const entered = Date.parse(iso) / 1000
  return Array.from({ length: count }, (_, i) =>
    [
      `${entered}|${tag}-${i}|Sales|NONE|ENTERQUEUE||1|1`,
      `${entered + 5}|${tag}-${i}|Sales|PJSIP/1001|CONNECT|5|${tag}-${i}.b|1`,
    ].join('\n'),
  ).join('\n')
}

async function socketOf(server: TestServer, window: string) {
  return TestSocket.open(`${server.url.replace(/^http/, 'ws')}/ws?window=${window}`)
}

/** The first message (snapshot or update) whose window starts at `iso`. */
async function windowFrom(socket: TestSocket, iso: string): Promise<Snapshot> {
  const start = Date.parse(iso)
  const found = await socket.next(
    (m) => m.type !== 'heartbeat' && (m as Snapshot).windowStart === start,
    6000,
  )
  return found as UpdateMessage
}

const hours = (ms: number) => (ms / 3_600_000).toFixed(2)

describe('day and interval turnover on a real server', () => {
  it('starts a new day at local midnight in Shanghai with no event at midnight', async () => {
    const clock = clockAt('2026-11-30T23:59:58.5+08:00')
    const server = await serve(clock, { CALLBOARD_TZ: 'Asia/Shanghai' })
    expect(
      (
        await post(
          `${server.url}/api/v1/events/asterisk`,
          calls('eve', '2026-11-30T23:50:00+08:00', 4),
        )
      ).status,
    ).toBe(200)
    const today = await socketOf(server, 'today')

    const before = await windowFrom(today, '2026-11-30T00:00:00+08:00')
    const after = await windowFrom(today, '2026-12-01T00:00:00+08:00')
    console.log(
      `Shanghai midnight: ${before.total.answered} answered ${before.windowLabel} before, ` +
        `${after.total.answered} after (${new Date(after.asOf).toISOString()}), no event`,
    )
    expect(before.total.answered).toBe(4)
    expect(after.total.answered).toBe(0)
    expect(after.windowLabel).toBe('since 00:00 Asia/Shanghai')
    today.close()
  })

  it('keeps a 25-hour DST day whole in Berlin, turns intervals over its clock change', async () => {
    // 02:59:58.5 summer time on 25 October 2026; at 03:00 the clocks go back to 02:00.
    const clock = clockAt('2026-10-25T02:59:58.5+02:00')
    const server = await serve(clock, { CALLBOARD_TZ: 'Europe/Berlin' })
    const body = calls('night', '2026-10-25T02:40:00+02:00', 3)
    expect((await post(`${server.url}/api/v1/events/asterisk`, body)).status).toBe(200)
    const today = await socketOf(server, 'today')
    const interval = await socketOf(server, 'interval')

    const summer = await windowFrom(interval, '2026-10-25T02:30:00+02:00')
    const winter = await windowFrom(interval, '2026-10-25T02:00:00+01:00')
    expect(summer.total.answered).toBe(3)
    expect(winter.total.answered).toBe(0)
    expect(winter.windowLabel).toBe('since 02:00 Europe/Berlin')
    const day = await windowFrom(today, '2026-10-25T00:00:00+02:00')
    expect(day.total.answered).toBe(3)

    // The last seconds of that day, 25 hours after it began.
    clock.set('2026-10-25T23:59:58.5+01:00')
    const read = await fetch(`${server.url}/api/v1/snapshot?window=today`)
    const last = (await read.json()) as Snapshot
    const next = await windowFrom(today, '2026-10-26T00:00:00+01:00')
    console.log(
      `Berlin DST day: ${hours(last.asOf - last.windowStart)} h long at its last second ` +
        `with ${last.total.answered} answered; interval ${summer.windowLabel} (summer time) → ` +
        `${winter.windowLabel} (winter time); next day from ` +
        new Date(next.windowStart).toISOString(),
    )
    expect(last.windowStart).toBe(Date.parse('2026-10-25T00:00:00+02:00'))
    expect(last.total.answered).toBe(3)
    expect(last.asOf - last.windowStart).toBeGreaterThan(24.99 * 3_600_000)
    expect(next.total.answered).toBe(0)
    today.close()
    interval.close()
  }, 20_000)

  it('turns a 24-hour centre’s day over at its 04:00 day start, not at midnight', async () => {
    const clock = clockAt('2026-12-01T03:59:58.5+08:00')
    const server = await serve(clock, {
      CALLBOARD_TZ: 'Asia/Shanghai',
      CALLBOARD_DAY_START: '04:00',
    })
    const body = [
      calls('evening', '2026-11-30T22:00:00+08:00', 2),
      calls('night', '2026-12-01T01:30:00+08:00', 3),
    ].join('\n')
    expect((await post(`${server.url}/api/v1/events/asterisk`, body)).status).toBe(200)
    const today = await socketOf(server, 'today')

    const shift = await windowFrom(today, '2026-11-30T04:00:00+08:00')
    const next = await windowFrom(today, '2026-12-01T04:00:00+08:00')
    console.log(
      `04:00 day start: ${shift.total.answered} answered ${shift.windowLabel} across ` +
        `midnight, ${next.total.answered} after 04:00`,
    )
    expect(shift.total.answered).toBe(5)
    expect(shift.windowLabel).toBe('since 04:00 Asia/Shanghai')
    expect(next.total.answered).toBe(0)
    today.close()
  })
})

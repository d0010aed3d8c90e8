import { describe, expect, it } from 'vitest'
import type { IntervalsToday } from '../../../shared/intervals.ts'
import { caller, makeToken } from '../../helpers/api.ts'
import { ADMIN_TOKEN, newPrefix, serversPerTest, withAuth } from '../../helpers/test-server.ts'
import { clockAt } from '../../helpers/set-clock.ts'

// Issue 6: a viewer limited to queue Sales reads a past day from the history, and last
// week's, exactly as it reads today: Sales alone, the total over Sales alone, by JSON and CSV.

const startServer = serversPerTest()

/** A call into `queue` entering at `iso`, answered after `waitS`. */
function call(id: string, queue: string, iso: string, waitS: number): string {
  const t = Date.parse(iso) / 1000
  return [
    `${t}|${id}|${queue}|NONE|ENTERQUEUE||1|1`,
    `${t + waitS}|${id}|${queue}|PJSIP/1001|CONNECT|${waitS}|${id}.b|1`,
  ].join('\n')
}

describe('a queue-limited viewer reading past days', () => {
  it('sees its own queues only, in the day, its intervals, last week and the CSV', async () => {
    const prefix = newPrefix()
    const clock = clockAt('2026-11-16T12:00:00Z')
    const env = withAuth()
    let server = await startServer(env, prefix, { now: clock.now })
    let admin = caller(server.url, ADMIN_TOKEN)
    // The day's 10:00 quarter of Support, the last one posted, is in the history.
    const written = async (date: string) => {
      const field = `${Date.parse(`${date}T10:00:00Z`)}:Support`
      const key = server.keys.history(date)
      await expect.poll(() => server.redis.hexists(key, field), { timeout: 8000 }).toBe(1)
    }

    // Monday 16 and 23 November, each: Sales 2 calls in 5 s, Support 1 call in 40 s.
    // Over both queues 2 of 3 within 20 s; Sales alone 2 of 2, which a Sales viewer sees.
    const day = (date: string, tag: string) =>
      [
        call(`${tag}-1`, 'Sales', `${date}T10:05:00Z`, 5),
        call(`${tag}-2`, 'Sales', `${date}T10:06:00Z`, 5),
        call(`${tag}-3`, 'Support', `${date}T10:07:00Z`, 40),
      ].join('\n')
    expect((await admin('POST', '/api/v1/events/asterisk', day('2026-11-16', 'a'))).status).toBe(
      200,
    )
    const token = await makeToken(admin, { role: 'viewer', name: 'Sales TV', queues: ['Sales'] })
    // Written before the clock moves on a week, past the engine's 26 hours.
    await written('2026-11-16')
    clock.set('2026-11-23T12:00:00Z')
    expect((await admin('POST', '/api/v1/events/asterisk', day('2026-11-23', 'b'))).status).toBe(
      200,
    )
    await written('2026-11-23')
    await server.stop()

    clock.set('2026-11-24T09:00:00Z')
    server = await startServer(env, prefix, { now: clock.now })
    admin = caller(server.url, ADMIN_TOKEN)
    const viewer = caller(server.url, token)

    const all = await admin<IntervalsToday>('GET', '/api/v1/intervals?date=2026-11-23')
    const own = await viewer<IntervalsToday>('GET', '/api/v1/intervals?date=2026-11-23')
    const asked = await viewer<IntervalsToday>(
      'GET',
      '/api/v1/intervals?date=2026-11-23&queues=Support,Sales',
    )
    const other = await viewer<IntervalsToday>(
      'GET',
      '/api/v1/intervals?date=2026-11-23&queues=Support',
    )
    const csv = await viewer<string>('GET', '/api/v1/report.csv?date=2026-11-23')

    expect(Object.keys(all.body.day.queues)).toEqual(['Sales', 'Support'])
    expect(all.body.day.total).toMatchObject({ offered: 3, serviceLevel: 2 / 3 })
    for (const answer of [own, asked]) {
      expect(answer.status).toBe(200)
      expect(Object.keys(answer.body.day.queues)).toEqual(['Sales'])
      expect(answer.body.day.total).toMatchObject({ offered: 2, serviceLevel: 1 })
      const ten = answer.body.intervals.find((row) => row.start === '10:00')
      expect(Object.keys(ten?.queues ?? {})).toEqual(['Sales'])
      expect(ten?.total.offered).toBe(2)
      expect(Object.keys(answer.body.lastWeek?.day.queues ?? {})).toEqual(['Sales'])
      expect(answer.body.lastWeek?.day.total).toMatchObject({ offered: 2, serviceLevel: 1 })
    }
    expect(Object.keys(other.body.day.queues)).toEqual([])
    expect(other.body.day.total.offered).toBe(0)
    expect(csv.status).toBe(200)
    expect(csv.body).toContain('Sales')
    expect(csv.body).not.toContain('Support')
  }, 40_000)
})

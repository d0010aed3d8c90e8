import { parse } from 'csv-parse/sync'
import { describe, expect, it } from 'vitest'
import type { IntervalsToday } from '../../../shared/intervals.ts'
import { newPrefix, post, serversPerTest, type TestServer } from '../../helpers/test-server.ts'
import { clockAt } from '../../helpers/set-clock.ts'

// Issue 5 / 6: per-interval history kept in Redis outlives the event stream. A server in
// Berlin takes calls on Sunday 25 October 2026 (25 hours: at 03:00 summer time the clocks
// go back to 02:00), is stopped, the stream is deleted as trimming would, and a server
// started three days later, past the 72 h retention, reads that day from the history.

const startServer = serversPerTest()
const BERLIN = { CALLBOARD_TZ: 'Europe/Berlin' }

const s = (iso: string) => Date.parse(iso) / 1000

/** A call entering at `iso`, answered after `waitS` and, if `talkS`, completed after it. */
function answered(id: string, queue: string, iso: string, waitS: number, talkS = 0): string[] {
  const t = s(iso)
  const lines = [
    `${t}|${id}|${queue}|NONE|ENTERQUEUE||1|1`,
    `${t + waitS}|${id}|${queue}|PJSIP/1001|CONNECT|${waitS}|${id}.b|1`,
  ]
  if (talkS > 0)
    lines.push(`${t + waitS + talkS}|${id}|${queue}|PJSIP/1001|COMPLETECALLER|${waitS}|${talkS}|1`)
  return lines
}

function abandoned(id: string, queue: string, iso: string, waitS: number): string[] {
  const t = s(iso)
  return [
    `${t}|${id}|${queue}|NONE|ENTERQUEUE||1|1`,
    `${t + waitS}|${id}|${queue}|NONE|ABANDON|1|1|${waitS}`,
  ]
}

// The day, by hand (T = 20 s, 30-minute intervals):
//  c1 Sales 01:10 summer time, answered after 10 s (met), talked 100 s  → interval 01:00
//  c2 Sales 02:40 summer time, answered after 30 s (missed)             → 02:30 (+02:00)
//  c3 Sales 02:40 winter time, abandoned after 5 s (offered, not met)   → 02:30 (+01:00)
//  c4 Support 10:05, answered after 15 s (met)                          → 10:00
// Day: 4 offered, 2 within 20 s = 50 %; 3 answered = 75 %; 1 abandoned = 25 %;
// ASA (10 + 30 + 15) / 3 = 18.33 s; AHT 100 s over 1 handled call.
const DAY_ONE = [
  ...answered('c1', 'Sales', '2026-10-25T01:10:00+02:00', 10, 100),
  ...answered('c2', 'Sales', '2026-10-25T02:40:00+02:00', 30),
  ...abandoned('c3', 'Sales', '2026-10-25T02:40:00+01:00', 5),
  ...answered('c4', 'Support', '2026-10-25T10:05:00+01:00', 15),
].join('\n')

async function until(server: TestServer, check: () => Promise<boolean>) {
  await expect.poll(check, { timeout: 8000, interval: 200 }).toBe(true)
}

async function getJson(url: string) {
  const response = await fetch(url)
  return { status: response.status, body: (await response.json()) as Record<string, unknown> }
}

describe('history of past days', () => {
  it('reads a DST day exactly after the stream is gone and the server restarted', async () => {
    const prefix = newPrefix()
    const clock = clockAt('2026-10-25T12:00:00+01:00')
    const first = await startServer(BERLIN, prefix, { now: clock.now })
    const sent = await post(`${first.url}/api/v1/events/asterisk`, DAY_ONE)
    expect(sent.status).toBe(200)
    await until(first, async () => first.live.streamId === sent.body.lastId)
    await first.stop()

    // Trimming by age would drop all of these by now; deleting the stream is the same.
    await first.redis.del(first.keys.events)
    clock.set('2026-10-29T09:00:00+01:00')
    const second = await startServer(BERLIN, prefix, { now: clock.now })

    const { status, body } = await getJson(`${second.url}/api/v1/intervals?date=2026-10-25`)
    expect(status).toBe(200)
    const day = body as unknown as IntervalsToday
    const at = (iso: string) => day.intervals.find((row) => row.at === Date.parse(iso))

    console.log(
      `history after the stream was deleted: ${day.date}, ${day.intervals.length} intervals ` +
        `of 30 min, ${day.day.total.offered} offered, SL ${day.day.total.serviceLevel}`,
    )
    // 25 hours of 30 minutes.
    expect(day.intervals).toHaveLength(50)
    expect(day.dayEnd - day.dayStart).toBe(25 * 3_600_000)
    expect(day.day.total).toMatchObject({
      offered: 4,
      answered: 3,
      answeredWithinThreshold: 2,
      abandoned: 1,
      handled: 1,
      serviceLevel: 0.5,
      answerRate: 0.75,
      abandonRate: 0.25,
      aht: 100,
    })
    expect(day.day.total.asa).toBeCloseTo(55 / 3, 10)
    expect(at('2026-10-25T01:00:00+02:00')?.queues.Sales).toMatchObject({
      offered: 1,
      serviceLevel: 1,
      asa: 10,
    })
    expect(at('2026-10-25T02:30:00+02:00')?.queues.Sales).toMatchObject({
      offered: 1,
      answered: 1,
      serviceLevel: 0,
    })
    expect(at('2026-10-25T02:30:00+01:00')?.queues.Sales).toMatchObject({
      offered: 1,
      abandoned: 1,
      serviceLevel: 0,
    })
    expect(at('2026-10-25T10:00:00+01:00')?.total).toMatchObject({ offered: 1, asa: 15 })
    expect(day.lastWeek).toBeNull()

    const csv = await fetch(`${second.url}/api/v1/report.csv?date=2026-10-25`)
    expect(csv.headers.get('content-disposition')).toContain('callboard-2026-10-25.csv')
    const rows = parse(await csv.text(), { columns: true, bom: true }) as Record<string, string>[]
    // 50 intervals × (2 queues + all) + the day's 3 rows.
    expect(rows).toHaveLength(153)
    expect(rows.at(-1)).toMatchObject({
      date: '2026-10-25',
      interval: 'day',
      queue: 'All queues',
      offered: '4',
      service_level_pct: '50',
      answer_rate_pct: '75',
      abandon_rate_pct: '25',
      asa_s: '18.3',
      aht_s: '100',
    })
    // The hour that happens twice has both of its 02:30 rows, summer time first.
    const twice = rows.filter((row) => row.interval === '02:30' && row.queue === 'Sales')
    expect(twice.map((row) => [row.offered, row.answered, row.abandoned])).toEqual([
      ['1', '1', '0'],
      ['1', '0', '1'],
    ])
  }, 30_000)

  it('shows the same weekday a week before beside today', async () => {
    const prefix = newPrefix()
    const clock = clockAt('2026-10-25T12:00:00+01:00')
    const first = await startServer(BERLIN, prefix, { now: clock.now })
    const sent = await post(`${first.url}/api/v1/events/asterisk`, DAY_ONE)
    expect(sent.status).toBe(200)
    await until(first, async () => first.live.streamId === sent.body.lastId)
    await first.stop()

    // A week later, Sunday 1 November: one call at 10:05 answered after 5 s.
    clock.set('2026-11-01T12:00:00+01:00')
    const second = await startServer(BERLIN, prefix, { now: clock.now })
    const today = answered('n1', 'Sales', '2026-11-01T10:05:00+01:00', 5).join('\n')
    const more = await post(`${second.url}/api/v1/events/asterisk`, today)
    await until(second, async () => second.live.streamId === more.body.lastId)

    const { body } = await getJson(`${second.url}/api/v1/intervals/today`)
    const report = body as unknown as IntervalsToday
    expect(report.date).toBe('2026-11-01')
    expect(report.day.total.offered).toBe(1)
    expect(report.lastWeek?.date).toBe('2026-10-25')
    expect(report.lastWeek?.intervals).toHaveLength(50)
    expect(report.lastWeek?.day.total).toMatchObject({ offered: 4, serviceLevel: 0.5 })

    // The same by date, and a viewer limited to Support would see Support alone: ?queues=.
    const byDate = await getJson(`${second.url}/api/v1/intervals?date=2026-11-01&queues=Support`)
    const scoped = byDate.body as unknown as IntervalsToday
    expect(Object.keys(scoped.day.queues)).toEqual([])
    expect(Object.keys(scoped.lastWeek?.day.queues ?? {})).toEqual(['Support'])
    expect(scoped.lastWeek?.day.total).toMatchObject({ offered: 1, serviceLevel: 1 })
  }, 30_000)

  it('counts a late event for a quarter before a restart’s rebuild from the stream', async () => {
    const prefix = newPrefix()
    const clock = clockAt('2026-11-30T23:20:00Z')
    const utc = { CALLBOARD_TZ: 'UTC' }
    const first = await startServer(utc, prefix, { now: clock.now })
    const before = [
      ...answered('r1', 'Sales', '2026-11-30T23:05:00Z', 5),
      ...answered('r2', 'Sales', '2026-11-30T23:06:00Z', 5),
    ].join('\n')
    const sent = await post(`${first.url}/api/v1/events/asterisk`, before)
    await until(first, async () => first.live.streamId === sent.body.lastId)
    await first.stop()

    // 00:50: the new process rebuilds from 23:45 (an hour back, on a quarter), so it holds
    // nothing of 23:00–23:15. A call of 23:07 answered after 30 s arrives late; counted
    // from the stream with the two before it: 3 offered, 2 within 20 s, 3 answered.
    clock.set('2026-12-01T00:50:00Z')
    const second = await startServer(utc, prefix, { now: clock.now })
    const late = answered('r3', 'Sales', '2026-11-30T23:07:00Z', 30).join('\n')
    expect((await post(`${second.url}/api/v1/events/asterisk`, late)).status).toBe(200)
    const quarter = async (server: TestServer) => {
      const { body } = await getJson(`${server.url}/api/v1/intervals?date=2026-11-30`)
      const day = body as unknown as IntervalsToday
      return day.intervals.find((row) => row.start === '23:00')?.queues.Sales
    }
    await expect.poll(async () => (await quarter(second))?.offered, { timeout: 8000 }).toBe(3)
    expect(await quarter(second)).toMatchObject({ answered: 3, answeredWithinThreshold: 2 })

    // Another, abandoned after 4 s, just before a graceful stop: the stop counts it.
    const last = abandoned('r4', 'Sales', '2026-11-30T23:08:00Z', 4).join('\n')
    const lastSent = await post(`${second.url}/api/v1/events/asterisk`, last)
    await until(second, async () => second.live.streamId === lastSent.body.lastId)
    await second.stop()
    const third = await startServer(utc, prefix, { now: clock.now })
    const after = await quarter(third)
    console.log(`late events before the rebuild's start, counted again: ${JSON.stringify(after)}`)
    expect(after).toMatchObject({
      offered: 4,
      answered: 3,
      answeredWithinThreshold: 2,
      abandoned: 1,
      serviceLevel: 0.5,
    })
  }, 40_000)

  it('takes an old day’s file posted today while the stream can still hold all of it', async () => {
    // 2 December 12:00, the engine keeps 26 h: calls of 30 November (50 h ago) are past it,
    // but within the stream's 72 h, so the history counts their quarter from the stream.
    // Sales 10:00: 2 answered in 5 s and 1 abandoned after 4 s = 3 offered, 2 within T.
    // A call of 25 November, in the same file, is past the stream's 72 h too: not counted.
    const clock = clockAt('2026-12-02T12:00:00Z')
    const server = await startServer({ CALLBOARD_TZ: 'UTC' }, newPrefix(), { now: clock.now })
    const file = [
      ...answered('o0', 'Sales', '2026-11-25T10:05:00Z', 5),
      ...answered('o1', 'Sales', '2026-11-30T10:05:00Z', 5),
      ...answered('o2', 'Sales', '2026-11-30T10:06:00Z', 5),
      ...abandoned('o3', 'Sales', '2026-11-30T10:07:00Z', 4),
    ].join('\n')
    expect((await post(`${server.url}/api/v1/events/asterisk`, file)).status).toBe(200)
    const read = async (date: string) =>
      getJson(`${server.url}/api/v1/intervals?date=${date}`).then(({ status, body }) => ({
        status,
        error: body.error,
        sales: (body as unknown as IntervalsToday).intervals?.find((row) => row.start === '10:00')
          ?.queues.Sales,
      }))
    await expect.poll(async () => (await read('2026-11-30')).status, { timeout: 8000 }).toBe(200)
    expect((await read('2026-11-30')).sales).toMatchObject({
      offered: 3,
      answered: 2,
      abandoned: 1,
      answeredWithinThreshold: 2,
    })
    expect(await read('2026-11-25')).toMatchObject({
      status: 404,
      error: 'history holds no figures for 2026-11-25',
    })
  }, 30_000)

  it('answers 400 for a malformed date and 404 for a day outside the history', async () => {
    const clock = clockAt('2026-10-25T12:00:00+01:00')
    const server = await startServer({ ...BERLIN, CALLBOARD_HISTORY_DAYS: '10' }, newPrefix(), {
      now: clock.now,
    })
    const get = (date: string) => getJson(`${server.url}/api/v1/intervals?date=${date}`)

    for (const bad of ['2026-02-30', '25.10.2026', 'yesterday', '2026-1-5']) {
      const { status, body } = await get(bad)
      expect(status, bad).toBe(400)
      expect(body.field).toBe('date')
    }
    const old = await get('2026-10-14')
    expect(old.status).toBe(404)
    expect(old.body.error).toBe('2026-10-14 is older than the 10 days history keeps')
    expect((await get('2026-10-26')).body.error).toBe('2026-10-26 has not begun yet')
    expect((await get('2026-10-20')).body.error).toBe('history holds no figures for 2026-10-20')
    expect((await get('2026-10-25')).status).toBe(200)
    const csv = await fetch(`${server.url}/api/v1/report.csv?date=2026-10-15`)
    expect(csv.status).toBe(404)
  })
})

import { describe, expect, it } from 'vitest'
import type { CallList } from '../../../shared/calls.ts'
import type { Intraday } from '../../../shared/intraday.ts'
import type { Snapshot } from '../../../shared/protocol.ts'
import { at, DAY_OF_SALES, NOW } from '../../helpers/sales-morning.ts'
import { newPrefix, post, serversPerTest, type TestServer } from '../../helpers/test-server.ts'

// Issue 5: the calls behind a queue's service level, and today's calls waiting and
// occupancy per interval, on a real server against real Redis, from the morning of
// helpers/sales-morning.ts (worked out by hand there), with T = 20 s and 30-minute
// intervals.

const startServer = serversPerTest()

/** Another queue's calls must not reach Sales's list, nor its figures. */
const OTHER_QUEUE = [
  `${at('09:10:00')}|s1|Support|NONE|ENTERQUEUE||200|1`,
  `${at('09:10:05')}|s1|Support|NONE|ABANDON|1|1|5`,
].join('\n')

async function serverWithDay(): Promise<TestServer> {
  const server = await startServer({}, newPrefix(), { now: () => NOW })
  const body = `${DAY_OF_SALES}\n${OTHER_QUEUE}`
  const posted = await post(`${server.url}/api/v1/events/asterisk`, body)
  expect(posted.body).toMatchObject({ accepted: 22 })
  await until(async () => (await snapshotOf(server)).queues.Support?.offered === 1)
  return server
}

async function snapshotOf(server: TestServer, window = 'today'): Promise<Snapshot> {
  const response = await fetch(`${server.url}/api/v1/snapshot?window=${window}`)
  return (await response.json()) as Snapshot
}

async function callsOf(server: TestServer, query: string): Promise<CallList> {
  const response = await fetch(`${server.url}/api/v1/calls?${query}`)
  expect(response.status).toBe(200)
  return (await response.json()) as CallList
}

async function until(check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 5000
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('the server did not apply the events in 5 s')
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

describe('GET /api/v1/calls', () => {
  it("lists a queue's calls of today with SL counts, totals equal to the wall's", async () => {
    const server = await serverWithDay()
    const list = await callsOf(server, 'queue=Sales&window=today')
    const wall = (await snapshotOf(server)).queues.Sales

    expect(list.totals).toEqual({
      offered: 7,
      met: 2,
      answered: 3,
      abandoned: 2,
      left: 1,
      waiting: 2,
    })
    expect(wall?.offered).toBe(7)
    expect(wall?.answeredWithinThreshold).toBe(2)
    expect(list.wall).toEqual(list.totals)
    expect(list.count).toBe(8)

    // Newest first, each with its outcome, wait and what it counts for.
    const rows = list.calls.map((c) => [c.callId, c.outcome, c.waitSeconds, c.sl])
    expect(rows).toEqual([
      ['c6', 'waiting', 5, 'pending'],
      ['c7', 'waiting', 600, 'missed'],
      ['c8', 'answered', 15, 'met'],
      ['c5', 'left', 30, 'missed'],
      ['c4', 'abandoned', 60, 'missed'],
      ['c3', 'abandoned', 5, 'missed'],
      ['c2', 'answered', 30, 'missed'],
      ['c1', 'answered', 10, 'met'],
    ])
    const c2 = list.calls.find((c) => c.callId === 'c2')
    expect(c2?.slAt).toBe(at('09:00:25') * 1000)
    expect(c2?.enteredAt).toBe(at('09:00:05') * 1000)
  })

  it('lists the running interval: a call counted before it is there for its leaving', async () => {
    const server = await serverWithDay()
    const list = await callsOf(server, 'queue=Sales&window=interval')
    const wall = (await snapshotOf(server, 'interval')).queues.Sales

    // The interval is 10:00–10:30 and has just begun: nothing has its SL event in it yet,
    // c6 and c7 wait on (c7 counted at 09:50:20, c6 not yet).
    expect(list.totals).toEqual({
      offered: 0,
      met: 0,
      answered: 0,
      abandoned: 0,
      left: 0,
      waiting: 2,
    })
    expect(list.calls.map((c) => [c.callId, c.sl])).toEqual([
      ['c6', 'pending'],
      ['c7', 'earlier'],
    ])
    expect(wall?.offered).toBe(0)
  })

  it("counts by the queue's own formula: under V5 a short abandon is no offer", async () => {
    const server = await startServer({}, newPrefix(), { now: () => NOW })
    const current = (await (await fetch(`${server.url}/api/v1/settings`)).json()) as {
      site: unknown
      defaults: unknown
    }
    const sales = {
      thresholdSeconds: 20,
      targetPercent: 80,
      variant: 'V5',
      shortAbandonSeconds: 10,
    }
    const put = await fetch(`${server.url}/api/v1/settings`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        site: current.site,
        defaults: current.defaults,
        queues: { Sales: sales },
      }),
    })
    expect(put.status).toBe(200)
    await post(`${server.url}/api/v1/events/asterisk`, DAY_OF_SALES)
    await until(async () => (await snapshotOf(server)).queues.Sales?.waiting === 2)

    // c3 abandoned after 5 s, within S = 10 s: out of the denominator, 2 of 6.
    const list = await callsOf(server, 'queue=Sales&window=today')
    expect(list.variant).toBe('V5')
    expect(list.totals).toMatchObject({ offered: 6, met: 2, abandoned: 2 })
    expect(list.wall).toEqual(list.totals)
    expect(list.calls.find((c) => c.callId === 'c3')?.sl).toBe('excluded')
  })

  it('gives the newest calls only when asked for fewer, and the totals of all', async () => {
    const server = await serverWithDay()
    const list = await callsOf(server, 'queue=Sales&window=today&limit=3')

    expect(list.calls.map((c) => c.callId)).toEqual(['c6', 'c7', 'c8'])
    expect(list.count).toBe(8)
    expect(list.totals.offered).toBe(7)
  })

  it('names the parameter that is wrong', async () => {
    const server = await serverWithDay()
    const missing = await fetch(`${server.url}/api/v1/calls?window=today`)
    const badWindow = await fetch(`${server.url}/api/v1/calls?queue=Sales&window=week`)

    expect(missing.status).toBe(400)
    expect(((await missing.json()) as { field: string }).field).toBe('queue')
    expect(badWindow.status).toBe(400)
    expect(((await badWindow.json()) as { field: string }).field).toBe('window')
  })
})

describe('GET /api/v1/intraday', () => {
  it('gives the peak and closing calls waiting per interval, worked out by hand', async () => {
    const server = await serverWithDay()
    const response = await fetch(`${server.url}/api/v1/intraday?queue=Sales`)
    const body = (await response.json()) as Intraday
    const byStart = new Map(body.intervals.map((row) => [row.start, row]))

    // Waiting: 09:00:00 →1, :05 →2, :08 →3, :10 →2, :13 →1, :35 →0; 09:20 →1, 09:21 →0;
    // 09:29:50 →1 (c5 still waits at 09:30); 09:30:20 →0; 09:40 →1, 09:40:15 →0;
    // 09:50 →1; 09:59:55 →2. The 10:00 interval has only begun: 2 carried in.
    expect(body.intervals.at(-1)?.start).toBe('10:00')
    expect(byStart.get('08:30')).toMatchObject({ waitingPeak: 0, waitingAtEnd: 0 })
    expect(byStart.get('09:00')).toMatchObject({ waitingPeak: 3, waitingAtEnd: 1 })
    expect(byStart.get('09:30')).toMatchObject({ waitingPeak: 2, waitingAtEnd: 2 })
    expect(byStart.get('10:00')).toMatchObject({ waitingPeak: 2, waitingAtEnd: 2 })
  })

  it('gives occupancy per interval from the agents of the queue, worked out by hand', async () => {
    const server = await serverWithDay()
    const body = (await (
      await fetch(`${server.url}/api/v1/intraday?queue=Sales`)
    ).json()) as Intraday
    const byStart = new Map(body.intervals.map((row) => [row.start, row]))

    // 09:00–09:30. 1001: available 09:00:00–09:00:10 and 09:05:10–09:30 (10 + 1490 s),
    // talking 300 s. 1002: available 35 + 1165 s, talking 600 s.
    // handle 900 s, available 2700 s: occupancy 900 / 3600 = 0.25.
    expect(body.agents).toBe(2)
    expect(byStart.get('09:00')).toMatchObject({
      handleMs: 900_000,
      availableMs: 2_700_000,
      occupancy: 0.25,
    })
    // 09:30–10:00. 1001: available 900 s, then paused (neither). 1002: available
    // 09:30–09:40:15 and 09:55:15–10:00 (615 + 285 s), talking 900 s.
    // handle 900 s, available 1800 s: occupancy 1/3.
    const half = byStart.get('09:30')
    expect(half).toMatchObject({ handleMs: 900_000, availableMs: 1_800_000 })
    expect(half?.occupancy).toBeCloseTo(1 / 3, 10)
    // Before the agents logged in there is neither handle nor available time.
    expect(byStart.get('08:30')?.occupancy).toBeNull()
  })
})

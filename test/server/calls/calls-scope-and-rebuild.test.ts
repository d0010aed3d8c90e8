import { describe, expect, it } from 'vitest'
import type { CallList } from '../../../shared/calls.ts'
import type { Intraday } from '../../../shared/intraday.ts'
import { caller, makeToken } from '../../helpers/api.ts'
import { DAY_OF_SALES, NOW } from '../../helpers/sales-morning.ts'
import {
  ADMIN_TOKEN,
  newPrefix,
  post,
  serversPerTest,
  withAuth,
} from '../../helpers/test-server.ts'

// Issue 5: the calls behind a figure and the staffing series obey a viewer's scope, and a
// server rebuilt from Redis gives the same answers as the one that saw the events arrive.

const startServer = serversPerTest()
const clock = { now: () => NOW }

async function until(check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 5000
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('the server did not apply the events in 5 s')
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

describe('scope of /calls and /intraday', () => {
  it('refuses a viewer limited to Support the calls and the series of Sales', async () => {
    const server = await startServer(withAuth(), newPrefix(), clock)
    const admin = caller(server.url, ADMIN_TOKEN)
    expect((await admin('POST', '/api/v1/events/asterisk', DAY_OF_SALES)).status).toBe(200)
    const token = await makeToken(admin, {
      role: 'viewer',
      name: 'Support TV',
      queues: ['Support'],
    })
    const viewer = caller(server.url, token)

    expect((await viewer('GET', '/api/v1/calls?queue=Sales')).status).toBe(403)
    expect((await viewer('GET', '/api/v1/intraday?queue=Sales')).status).toBe(403)
    expect((await caller(server.url)('GET', '/api/v1/calls?queue=Sales')).status).toBe(401)

    // Its own queue is open to it; all queues give occupancy but no waiting of all queues.
    expect((await viewer('GET', '/api/v1/calls?queue=Support')).status).toBe(200)
    const all = await viewer<Intraday>('GET', '/api/v1/intraday')
    expect(all.status).toBe(200)
    expect(all.body.intervals.every((row) => row.waitingPeak === null)).toBe(true)
  })
})

describe('a server rebuilt from Redis', () => {
  it('lists the same calls and calls waiting as the one that saw them arrive', async () => {
    const prefix = newPrefix()
    const first = await startServer({}, prefix, clock)
    await post(`${first.url}/api/v1/events/asterisk`, DAY_OF_SALES)
    const calls = async (url: string) =>
      (await (await fetch(`${url}/api/v1/calls?queue=Sales`)).json()) as CallList
    const intraday = async (url: string) =>
      (await (await fetch(`${url}/api/v1/intraday?queue=Sales`)).json()) as Intraday
    await until(async () => (await calls(first.url)).totals.waiting === 2)
    const before = { calls: await calls(first.url), intraday: await intraday(first.url) }
    await first.stop()

    const second = await startServer({}, prefix, clock)
    const after = { calls: await calls(second.url), intraday: await intraday(second.url) }

    expect(after.calls.totals).toEqual(before.calls.totals)
    expect(after.calls.calls).toEqual(before.calls.calls)
    expect(after.intraday.intervals).toEqual(before.intraday.intervals)
    expect(before.calls.totals).toMatchObject({ offered: 7, met: 2 })
  })
})

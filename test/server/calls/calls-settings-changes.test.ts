import { describe, expect, it } from 'vitest'
import type { CallList } from '../../../shared/calls.ts'
import type { Snapshot } from '../../../shared/protocol.ts'
import type { QueueSettings, StoredSettings } from '../../../shared/settings.ts'
import { caller } from '../../helpers/api.ts'
import { newPrefix, post, serversPerTest, type TestServer } from '../../helpers/test-server.ts'

// The calls behind a figure when Support's settings change during the day: the live engine
// counts each call by the T and S in force when it was counted, and the list, replayed from
// the stream, must do the same and so equal the wall. On a real server against real Redis
// with the real clock, since a change is stamped by it; the events are stamped in the last
// two minutes and the day starts some twelve hours away, so all of them fall in "today".

const startServer = serversPerTest()

/** Epoch seconds of the first call: 90 s ago. */
const BASE = Math.floor(Date.now() / 1000) - 90
const t = (seconds: number) => BASE + seconds

/** A day start on a quarter hour about twelve hours from now (UTC). */
function farDayStart(): string {
  const quarter = Math.floor(((Date.now() / 60_000 + 12 * 60) % 1440) / 15) * 15
  const pad = (value: number) => String(value).padStart(2, '0')
  return `${pad(Math.floor(quarter / 60))}:${pad(quarter % 60)}`
}

async function start(): Promise<TestServer> {
  return startServer({ CALLBOARD_DAY_START: farDayStart() }, newPrefix())
}

async function setSupport(server: TestServer, row: QueueSettings): Promise<void> {
  const api = caller(server.url)
  const current = (await api<StoredSettings>('GET', '/api/v1/settings')).body
  const next = { site: current.site, defaults: current.defaults, queues: { Support: row } }
  const put = await api('PUT', '/api/v1/settings', next)
  expect(put.status).toBe(200)
}

async function postLines(server: TestServer, lines: string[]): Promise<void> {
  const posted = await post(`${server.url}/api/v1/events/asterisk`, lines.join('\n'))
  expect(posted.body).toMatchObject({ accepted: lines.length })
}

async function support(server: TestServer) {
  const response = await fetch(`${server.url}/api/v1/snapshot?window=today`)
  return ((await response.json()) as Snapshot).queues.Support
}

async function callsOf(server: TestServer): Promise<CallList> {
  const response = await fetch(`${server.url}/api/v1/calls?queue=Support&window=today`)
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

const slOf = (list: CallList) => Object.fromEntries(list.calls.map((c) => [c.callId, c.sl]))

describe('the calls behind a figure, across a change of settings', () => {
  it('judges each call by the T in force when it was counted, as the wall does', async () => {
    const server = await start()
    await setSupport(server, {
      thresholdSeconds: 10,
      targetPercent: 80,
      variant: 'V2',
      shortAbandonSeconds: 0,
    })
    await postLines(server, [
      `${t(0)}|p1|Support|NONE|ENTERQUEUE||101|1`,
      `${t(1)}|p2|Support|NONE|ENTERQUEUE||102|2`,
      `${t(2)}|p3|Support|NONE|ENTERQUEUE||103|3`,
      `${t(3)}|p4|Support|NONE|ENTERQUEUE||104|4`,
      `${t(6)}|p3|Support|NONE|ABANDON|3|3|4`,
      `${t(8)}|p1|Support|PJSIP/1001|CONNECT|8|p1.b|0`,
      `${t(13)}|p2|Support|PJSIP/1002|CONNECT|12|p2.b|0`,
      `${t(13)}|p4|Support|PJSIP/1003|CONNECT|10|p4.b|0`,
      `${t(40)}|p5|Support|NONE|ENTERQUEUE||105|1`,
    ])
    await until(async () => (await support(server))?.waiting === 1)

    // T goes from 10 to 60 while p5 waits, then p5 is answered after 31 s.
    await setSupport(server, {
      thresholdSeconds: 60,
      targetPercent: 80,
      variant: 'V2',
      shortAbandonSeconds: 0,
    })
    await postLines(server, [`${t(71)}|p5|Support|PJSIP/1001|CONNECT|31|p5.b|0`])
    await until(async () => (await support(server))?.waiting === 0)

    // By hand, V2 = answered within T ÷ offered: p1 8 ≤ 10 met, p2 12 > 10 missed (counted
    // under T = 10), p3 abandoned: offered, not met, p4 10 ≤ 10 met, p5 31 ≤ 60 met (the new
    // T judges a call still waiting). 3 of 5.
    const wall = await support(server)
    expect([wall?.serviceLevelMet, wall?.serviceLevelOffered]).toEqual([3, 5])
    const list = await callsOf(server)
    expect(list.totals).toMatchObject({ offered: 5, met: 3, answered: 4, abandoned: 1 })
    expect(list.wall).toEqual(list.totals)
    expect(slOf(list)).toEqual({ p1: 'met', p2: 'missed', p3: 'missed', p4: 'met', p5: 'met' })

    // A server rebuilt from Redis installs T = 60 where it was saved: the same list.
    await server.stop()
    const second = await startServer({ CALLBOARD_DAY_START: farDayStart() }, server.prefix)
    const rebuilt = await callsOf(second)
    expect(rebuilt.totals).toEqual(list.totals)
    expect(rebuilt.wall).toEqual(list.totals)
    expect(slOf(rebuilt)).toEqual(slOf(list))
  })

  it('takes an abandon as short by the S in force when it came (V5)', async () => {
    const server = await start()
    const row = { thresholdSeconds: 10, targetPercent: 80, variant: 'V5' as const }
    await setSupport(server, { ...row, shortAbandonSeconds: 5 })
    await postLines(server, [
      `${t(0)}|q1|Support|NONE|ENTERQUEUE||101|1`,
      `${t(1)}|q2|Support|NONE|ENTERQUEUE||102|2`,
      `${t(5)}|q2|Support|NONE|ABANDON|2|2|4`,
      `${t(8)}|q1|Support|PJSIP/1001|CONNECT|8|q1.b|0`,
    ])
    await until(async () => (await support(server))?.answered === 1)

    // S goes from 5 to 2; then q3 abandons after the same 4 s.
    await setSupport(server, { ...row, shortAbandonSeconds: 2 })
    await postLines(server, [
      `${t(40)}|q3|Support|NONE|ENTERQUEUE||103|1`,
      `${t(44)}|q3|Support|NONE|ABANDON|1|1|4`,
    ])
    await until(async () => (await support(server))?.abandoned === 2)

    // By hand, V5 = answered within T ÷ (offered − short abandons): q1 met; q2 4 ≤ S = 5
    // short, out of the denominator; q3 4 > S = 2 not short, offered and not met. 1 of 2.
    const wall = await support(server)
    expect([wall?.serviceLevelMet, wall?.serviceLevelOffered]).toEqual([1, 2])
    expect(wall?.abandonedShort).toBe(1)
    const list = await callsOf(server)
    expect(list.totals).toMatchObject({ offered: 2, met: 1, answered: 1, abandoned: 2 })
    expect(list.wall).toEqual(list.totals)
    expect(slOf(list)).toEqual({ q1: 'met', q2: 'excluded', q3: 'missed' })
  })
})

import { describe, expect, it } from 'vitest'
import { COUNTER_KEYS } from '../../../shared/figures.ts'
import { newPrefix, post, serversPerTest, type TestServer } from '../../helpers/test-server.ts'
import { clockAt } from '../../helpers/set-clock.ts'

// Issue 5 / 6: how the history is written. A quarter is written whole, again when a late
// event changes it after it closed; its day's hash expires CALLBOARD_HISTORY_DAYS after the
// day ends; and two servers on one Redis write the same values.

const startServer = serversPerTest()

const s = (iso: string) => Date.parse(iso) / 1000

function answered(id: string, iso: string, waitS: number): string {
  const t = s(iso)
  return [
    `${t}|${id}|Sales|NONE|ENTERQUEUE||1|1`,
    `${t + waitS}|${id}|Sales|PJSIP/1001|CONNECT|${waitS}|${id}.b|1`,
  ].join('\n')
}

function abandoned(id: string, iso: string, waitS: number): string {
  const t = s(iso)
  return [
    `${t}|${id}|Sales|NONE|ENTERQUEUE||1|1`,
    `${t + waitS}|${id}|Sales|NONE|ABANDON|1|1|${waitS}`,
  ].join('\n')
}

const QUARTER = Date.parse('2026-11-30T10:00:00Z')
const FIELD = `${QUARTER}:Sales`

/** The stored JSON of Sales' 10:00 quarter on 30 November, parsed; null before it is. */
async function stored(server: TestServer): Promise<Record<string, number> | null> {
  const json = await server.redis.hget(server.keys.history('2026-11-30'), FIELD)
  return json === null ? null : (JSON.parse(json) as Record<string, number>)
}

async function postAll(server: TestServer, body: string) {
  const answer = await post(`${server.url}/api/v1/events/asterisk`, body)
  expect(answer.status).toBe(200)
  return answer.body.lastId as string
}

describe('history writes', () => {
  it('writes every counter of a quarter, again after a late event, with a TTL', async () => {
    const clock = clockAt('2026-11-30T10:20:00Z')
    const server = await startServer({ CALLBOARD_HISTORY_DAYS: '3' }, newPrefix(), {
      now: clock.now,
    })
    // 10:01, answered after 8 s: offered 1, met 1, answered 1, 8,000 ms of waiting.
    await postAll(server, answered('x1', '2026-11-30T10:01:00Z', 8))
    await expect.poll(() => stored(server), { timeout: 8000 }).not.toBeNull()
    const first = await stored(server)
    const keys = [...COUNTER_KEYS, 'waitingPeak', 'waitingAtEnd']
    expect(Object.keys(first ?? {}).sort()).toEqual(keys.sort())
    expect(first).toMatchObject({
      offered: 1,
      answeredWithinThreshold: 1,
      answered: 1,
      answerWaitMs: 8000,
      abandoned: 0,
      handled: 0,
    })

    // 10:40, the quarter long closed: a call of 10:05 that hung up after 40 s arrives late.
    // It is offered (its wait passed 20 s) and abandoned, not within T: offered 2, met 1.
    clock.set('2026-11-30T10:40:00Z')
    await postAll(server, abandoned('x2', '2026-11-30T10:05:00Z', 40))
    await expect.poll(async () => (await stored(server))?.abandoned, { timeout: 8000 }).toBe(1)
    expect(await stored(server)).toMatchObject({
      offered: 2,
      answeredWithinThreshold: 1,
      answered: 1,
      answerWaitMs: 8000,
      abandoned: 1,
      abandonedWithinThreshold: 0,
    })

    // Expires 3 days after 30 November ends: 1 December 00:00 + 3 days − 10:40 on the 30th
    // = 3 days 13 h 20 min = 307,200 s, less the few seconds the test has run since.
    const ttl = await server.redis.ttl(server.keys.history('2026-11-30'))
    console.log(`history of 2026-11-30 with CALLBOARD_HISTORY_DAYS=3: TTL ${ttl} s`)
    expect(ttl).toBeGreaterThan(307_200 - 30)
    expect(ttl).toBeLessThanOrEqual(307_200)
  }, 30_000)

  it('keeps each quarter’s calls waiting, per queue and for all queues', async () => {
    const clock = clockAt('2026-11-30T10:25:00Z')
    const server = await startServer({}, newPrefix(), { now: clock.now })
    // Sales: three calls enter at 10:16, 10:17 and 10:18 and one is answered at 10:19, so
    // at most 3 waited at once in the 10:15 quarter and 2 still wait. Support: one enters
    // at 10:17 and waits on. All queues: 4 at once (10:18), 3 at the end.
    const enter = (id: string, queue: string, iso: string) =>
      `${Date.parse(iso) / 1000}|${id}|${queue}|NONE|ENTERQUEUE||1|1`
    await postAll(
      server,
      [
        enter('w1', 'Sales', '2026-11-30T10:16:00Z'),
        enter('w2', 'Sales', '2026-11-30T10:17:00Z'),
        enter('s1', 'Support', '2026-11-30T10:17:30Z'),
        enter('w3', 'Sales', '2026-11-30T10:18:00Z'),
        `${s('2026-11-30T10:19:00Z')}|w1|Sales|PJSIP/1001|CONNECT|180|w1.b|1`,
      ].join('\n'),
    )
    const quarter = Date.parse('2026-11-30T10:15:00Z')
    const key = server.keys.history('2026-11-30')
    const read = async (queue: string) =>
      JSON.parse((await server.redis.hget(key, `${quarter}:${queue}`)) ?? 'null') as Record<
        string,
        number
      > | null
    await expect.poll(() => read(''), { timeout: 8000 }).not.toBeNull()

    expect(await read('Sales')).toMatchObject({ waitingPeak: 3, waitingAtEnd: 2, answered: 1 })
    expect(await read('Support')).toMatchObject({ waitingPeak: 1, waitingAtEnd: 1 })
    expect(await read('')).toEqual({ waitingPeak: 4, waitingAtEnd: 3 })
  })

  it('is written alike by two servers on one Redis, late events included', async () => {
    const prefix = newPrefix()
    const clock = clockAt('2026-11-30T10:20:00Z')
    const a = await startServer({}, prefix, { now: clock.now })
    const b = await startServer({}, prefix, { now: clock.now })

    // Ten calls at 10:01–10:10, answered after 5 s (met) or 25 s (missed), alternately,
    // posted to one server: 10 offered, 5 met, 10 answered, 5 × 5 s + 5 × 25 s = 150 s.
    const calls = Array.from({ length: 10 }, (_, i) =>
      answered(`t${i}`, `2026-11-30T10:${String(i + 1).padStart(2, '0')}:00Z`, i % 2 ? 25 : 5),
    )
    const last = await postAll(a, calls.join('\n'))
    await expect.poll(() => b.live.streamId, { timeout: 8000 }).toBe(last)
    await expect.poll(async () => (await stored(a))?.offered, { timeout: 8000 }).toBe(10)

    // A late abandon after 3 s (offered, met by neither answer nor SL), posted to the other.
    clock.set('2026-11-30T10:50:00Z')
    const late = await postAll(b, abandoned('t-late', '2026-11-30T10:12:00Z', 3))
    await expect.poll(() => a.live.streamId, { timeout: 8000 }).toBe(late)
    await expect.poll(async () => (await stored(a))?.abandoned, { timeout: 8000 }).toBe(1)
    // Both have flushed at least once more since.
    await new Promise((resolve) => setTimeout(resolve, 4500))

    const value = await stored(a)
    const held = (server: TestServer) => {
      const engine = server.live.engine
      const waiting = engine.waitingSpan('Sales', QUARTER, QUARTER + 15 * 60_000)
      const counters = engine.quarterCounters('Sales', QUARTER)
      return { ...counters, waitingPeak: waiting.peak, waitingAtEnd: waiting.atEnd }
    }
    const inA = held(a)
    const inB = held(b)
    console.log(`two servers, one history: ${JSON.stringify(value)}`)
    expect(value).toMatchObject({
      offered: 11,
      answeredWithinThreshold: 5,
      answered: 10,
      answerWaitMs: 150_000,
      abandoned: 1,
      abandonedWithinThreshold: 1,
      // One call waited at a time, none at the end.
      waitingPeak: 1,
      waitingAtEnd: 0,
    })
    expect(inA).toEqual(inB)
    expect(value).toEqual(inA)
  }, 40_000)
})

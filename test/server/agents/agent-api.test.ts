import { describe, expect, it } from 'vitest'
import type { AgentSnapshot } from '../../../shared/agent-protocol.ts'
import {
  deleteKeys,
  newPrefix,
  post,
  serversPerTest,
  type TestServer,
} from '../../helpers/test-server.ts'
import { TestSocket } from '../../helpers/ws-client.ts'

const startServer = serversPerTest()

async function serve(prefix?: string) {
  return startServer({}, prefix)
}

async function send(
  server: TestServer,
  method: string,
  path: string,
  body: unknown,
  type?: string,
) {
  const response = await fetch(`${server.url}/api/v1${path}`, {
    method,
    body: typeof body === 'string' ? body : JSON.stringify(body),
    headers: { 'content-type': type ?? 'application/json' },
  })
  return { status: response.status, body: (await response.json()) as Record<string, unknown> }
}

async function agents(server: TestServer, query = ''): Promise<AgentSnapshot> {
  return (await (await fetch(`${server.url}/api/v1/agents?${query}`)).json()) as AgentSnapshot
}

/** Today's date in UTC (the test servers' zone), and an HH:MM `minutes` ago. */
const today = () => new Date().toISOString().slice(0, 10)
const epochAgo = (minutes: number) => Math.floor(Date.now() / 1000) - minutes * 60

/**
 * Two agents' last half hour, all over by now, so the figures no longer move with the
 * clock: 1001 (as PJSIP/1001 and SIP/phone-7) takes a call; 1002 pauses for lunch.
 */
function halfHour(): string {
  const t = epochAgo(30)
  return [
    `${t}|NONE|Sales|PJSIP/1001|ADDMEMBER|`,
    `${t}|NONE|Support|PJSIP/1002|ADDMEMBER|`,
    `${t + 60}|c1|Sales|NONE|ENTERQUEUE||13800138000|1`,
    `${t + 65}|c1|Sales|SIP/phone-7|CONNECT|5|b1|1`,
    `${t + 245}|c1|Sales|SIP/phone-7|COMPLETECALLER|5|180|1`,
    `${t + 300}|NONE|Support|PJSIP/1002|PAUSE|Lunch`,
    `${t + 900}|NONE|Sales|PJSIP/1001|REMOVEMEMBER|`,
    `${t + 1200}|NONE|Support|PJSIP/1002|REMOVEMEMBER|`,
  ].join('\n')
}

const TEAMS = [{ id: 'north', name: 'North', leader: 'Wang Fang' }]
const ROSTER = [
  { id: '1001', name: '王芳', team: 'north', aliases: ['SIP/phone-7'] },
  { id: '1002', name: 'Li Lei', team: 'north' },
]

describe('agent API', () => {
  it('refuses a bad schedule with every row and reason, and stores none of it', async () => {
    const server = await serve()
    await post(`${server.url}/api/v1/events/asterisk`, halfHour())
    const before = await agents(server)
    const streamLength = await server.redis.xlen(server.keys.events)

    const csv = [
      'agent,date,activity,start,end',
      `1001,${today()},on_queue,08:00,12:00`,
      `1001,${today()},lunch,11:30,13:00`,
      `ghost,${today()},on_queue,08:00,12:00`,
      `1002,${today()},on_queue,8 o'clock,12:00`,
    ].join('\n')
    const refused = await send(server, 'POST', '/schedules', csv, 'text/csv')

    expect(refused.status).toBe(400)
    expect(refused.body.errors).toEqual([
      expect.objectContaining({ row: 3, line: 4, field: 'agent' }),
      expect.objectContaining({ row: 4, line: 5, field: 'start' }),
    ])
    // Nothing stored: no schedule, no new version, no control event in the stream.
    expect(await server.redis.exists(server.keys.schedule(today()))).toBe(0)
    expect(await server.redis.xlen(server.keys.events)).toBe(streamLength)
    expect((await agents(server)).configVersion).toBe(before.configVersion)

    // With the bad rows gone, the overlap of rows 1 and 2 is what is left to refuse.
    const overlap = await send(
      server,
      'POST',
      '/schedules',
      csv.split('\n').slice(0, 3).join('\n'),
      'text/csv',
    )
    expect(overlap.body.errors).toEqual([
      expect.objectContaining({ row: 2, reason: expect.stringContaining('overlaps row 1') }),
    ])
    expect(await server.redis.exists(server.keys.schedule(today()))).toBe(0)
  })

  it('replaces a schedule per agent and day, and leaves other agents and days alone', async () => {
    const server = await serve()
    await post(`${server.url}/api/v1/events/asterisk`, halfHour())
    const row = (agent: string, activity: string, start: string, end: string, date = today()) => ({
      agent,
      date,
      activity,
      start,
      end,
    })

    const first = await send(server, 'POST', '/schedules', [
      row('1001', 'on_queue', '08:00', '12:00'),
      row('1001', 'lunch', '12:00', '13:00'),
      row('1002', 'on_queue', '09:00', '17:00'),
    ])
    expect(first).toMatchObject({ status: 200, body: { days: 1, agentDays: 2, activities: 3 } })

    await send(server, 'POST', '/schedules', [row('1001', 'on_queue', '10:00', '18:00')])
    const stored = (await (
      await fetch(`${server.url}/api/v1/schedules?date=${today()}`)
    ).json()) as { agent: string; start: string }[]

    expect(stored.map((r) => [r.agent, r.start.slice(11)]).sort()).toEqual([
      ['1001', '10:00'],
      ['1002', '09:00'],
    ])
  })

  it('reads schedules back in the site zone of now, after an admin moved it', async () => {
    const server = await serve()
    await post(`${server.url}/api/v1/events/asterisk`, halfHour())
    const settings = await send(server, 'GET', '/settings', undefined)
    const site = { tz: 'Asia/Shanghai', dayStart: '00:00', intervalMinutes: 30 }
    const moved = await send(server, 'PUT', '/settings', { ...settings.body, site })
    expect(moved.status).toBe(200)

    const day = '2026-12-06'
    const row = { agent: '1001', date: day, activity: 'on_queue', start: '09:00', end: '12:00' }
    expect((await send(server, 'POST', '/schedules', [row])).status).toBe(200)

    // 09:00 in Shanghai (UTC+8, no DST) is 01:00 UTC; it must read back as it was written.
    const stored = await server.redis.hget(server.keys.schedule(day), '1001')
    expect(JSON.parse(stored ?? '[]')).toEqual([
      { activity: 'on_queue', start: Date.UTC(2026, 11, 6, 1), end: Date.UTC(2026, 11, 6, 4) },
    ])
    const read = await fetch(`${server.url}/api/v1/schedules?date=${day}`)
    expect(await read.json()).toEqual([{ ...row, start: `${day} 09:00`, end: `${day} 12:00` }])
  })

  it('gives two servers the same agent figures, whichever one was told of a change', async () => {
    const prefix = newPrefix()
    const a = await serve(prefix)
    const b = await serve(prefix)
    await post(`${a.url}/api/v1/events/asterisk`, halfHour())

    // Before the roster, SIP/phone-7 is an agent of its own.
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect((await agents(b)).agents.map((agent) => agent.id)).toEqual(['1001', '1002', 'phone-7'])

    // Teams and roster through b; a learns of them from the stream and rebuilds.
    expect((await send(b, 'PUT', '/teams', TEAMS)).status).toBe(200)
    const roster = await send(b, 'PUT', '/roster', ROSTER)
    expect(roster.status).toBe(200)
    const schedule = await send(a, 'POST', '/schedules', [
      { agent: '1002', date: today(), activity: 'on_queue', start: '00:00', end: '00:01' },
    ])
    expect(schedule.status).toBe(200)

    const version = schedule.body.version as number
    const [fromA, fromB] = await Promise.all([settled(a, version), settled(b, version)])
    const { asOf: _a, ...restA } = fromA
    const { asOf: _b, ...restB } = fromB
    expect(restA).toEqual(restB)

    // One agent now, with the call merged in: 3 min of talk, and the name from the roster.
    expect(fromA.agents.map((agent) => [agent.id, agent.name, agent.team])).toEqual([
      ['1001', '王芳', 'north'],
      ['1002', 'Li Lei', 'north'],
    ])
    expect(fromA.agents[0]?.figures).toMatchObject({ talkMs: 180_000, handled: 1 })
    expect(fromA.teams.north).toMatchObject({ name: 'North', leader: 'Wang Fang', agents: 2 })
  })

  it('rebuilds the same agent figures after a restart', async () => {
    const prefix = newPrefix()
    const first = await serve(prefix)
    await post(`${first.url}/api/v1/events/asterisk`, halfHour())
    await send(first, 'PUT', '/teams', TEAMS)
    await send(first, 'PUT', '/roster', ROSTER)
    const before = await agents(first)
    await first.stop()

    const second = await serve(prefix)
    const after = await agents(second)
    expect(after.configVersion).toBe(before.configVersion)
    expect(after.agents).toEqual(before.agents)
    await deleteKeys(second.redis, prefix)
  })

  it('filters by team and queue, over the API and the agent WebSocket', async () => {
    const server = await serve()
    await post(`${server.url}/api/v1/events/asterisk`, halfHour())
    await send(server, 'PUT', '/teams', TEAMS)
    await send(server, 'PUT', '/roster', ROSTER)

    expect((await agents(server, 'queue=Support')).agents.map((a) => a.id)).toEqual(['1002'])
    expect((await agents(server, 'team=north&queue=Sales')).agents.map((a) => a.id)).toEqual([
      '1001',
    ])
    expect((await agents(server, 'team=south')).agents).toEqual([])

    const socket = await TestSocket.open(
      `${server.url.replace('http', 'ws')}/ws/agents?queue=Sales`,
    )
    const first = (await socket.next(
      (m) => (m.type as string) === 'agents',
    )) as unknown as AgentSnapshot
    expect(first.agents.map((a) => a.id)).toEqual(['1001'])
    expect(Object.keys(first.queues)).toEqual(['Sales'])
    socket.close()

    const bad = await fetch(`${server.url}/api/v1/agents?window=week`)
    expect(bad.status).toBe(400)
  })

  it('refuses a roster naming an unknown team, and rules with a bad setting', async () => {
    const server = await serve()
    const roster = await send(server, 'PUT', '/roster', [{ id: '1001', team: 'nowhere' }])
    expect(roster).toMatchObject({
      status: 400,
      body: { errors: [expect.objectContaining({ row: 1, field: 'team' })] },
    })

    const rules = await send(server, 'PUT', '/agent-rules', { notReadyLimitMinutes: -3 })
    expect(rules).toMatchObject({
      status: 400,
      body: { errors: [expect.objectContaining({ field: 'notReadyLimitMinutes' })] },
    })

    const accepted = await send(server, 'PUT', '/agent-rules', {
      notReadyLimitByReason: { lunch: 45 },
    })
    expect(accepted.status).toBe(200)
    const shown = (await (await fetch(`${server.url}/api/v1/agent-rules`)).json()) as Record<
      string,
      unknown
    >
    expect(shown).toMatchObject({ notReadyLimitMinutes: 15, notReadyLimitByReason: { lunch: 45 } })
  })

  it('says which day it wants when the date is missing or not on the calendar', async () => {
    const server = await serve()
    const read = async (query: string) => {
      const response = await fetch(`${server.url}/api/v1/schedules${query}`)
      return { status: response.status, body: (await response.json()) as unknown }
    }

    expect(await read('')).toEqual({
      status: 400,
      body: { error: 'field date: required but missing', field: 'date' },
    })
    // The right shape, but there is no 13th month and no 30 February.
    for (const day of ['2026-13-01', '2026-02-30']) {
      expect(await read(`?date=${day}`)).toEqual({
        status: 400,
        body: { error: `field date: no such day on the calendar; got "${day}"`, field: 'date' },
      })
    }
    expect((await read('?date=2028-02-29')).status).toBe(200)
  })
})

/** The agent board once it holds config `version` and has not changed for a moment. */
async function settled(server: TestServer, version: number): Promise<AgentSnapshot> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const snapshot = await agents(server)
    if (snapshot.configVersion >= version) return snapshot
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error(`${server.url} never reached configuration version ${version}`)
}

import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AgentSnapshot } from '../../../shared/agent-protocol.ts'
import type { ServiceLevelToday } from '../../../shared/alerts.ts'
import type { AlertsMessage, Snapshot } from '../../../shared/protocol.ts'
import { caller, makeToken, type Caller } from '../../helpers/api.ts'
import {
  ADMIN_TOKEN,
  startTestServer,
  withAuth,
  type TestServer,
} from '../../helpers/test-server.ts'
import { TestSocket } from '../../helpers/ws-client.ts'

// Issue 6: a viewer token limited to some queues and teams never receives figures of the
// others, whichever way it reads: snapshot, socket, agent board, alerts, sparklines.

/** Service level alerts at once on five calls, per queue and for all queues; nothing else. */
function rulesFile(): string {
  const path = join(mkdtempSync(join(tmpdir(), 'callboard-scope-')), 'alerts.json')
  const off = { enabled: false }
  const defaults = {
    serviceLevel: { pendingSeconds: 0, minVolume: 5 },
    callsWaiting: off,
    longestWait: off,
    abandonRate: off,
  }
  const allQueues = { serviceLevel: { enabled: true } }
  writeFileSync(path, JSON.stringify({ defaults, allQueues, feedSilent: off }))
  return path
}

/** Five calls in `queue` answered by `member` after 31 s: service level 0 %, an incident. */
function lateCalls(queue: string, member: string): string {
  const entered = Math.floor(Date.now() / 1000) - 120
  return Array.from({ length: 5 }, (_, i) => {
    const id = `${queue}-${i}`
    return [
      `${entered}|${id}|${queue}|NONE|ENTERQUEUE||1380000${i}|1`,
      `${entered + 31}|${id}|${queue}|${member}|CONNECT|31|b-${id}|1`,
    ].join('\n')
  }).join('\n')
}

/** The socket helper knows the queue wall's messages; these tests read others too. */
const typed = (type: string) => (message: unknown) => (message as { type: string }).type === type

describe('a viewer limited to queue Sales and team north', () => {
  let server: TestServer
  let admin: Caller
  let viewer: Caller
  let token: string
  let ws: string

  beforeAll(async () => {
    server = await startTestServer(withAuth({ CALLBOARD_ALERTS_FILE: rulesFile() }))
    admin = caller(server.url, ADMIN_TOKEN)
    ws = server.url.replace(/^http/, 'ws')

    const teams = [{ id: 'north' }, { id: 'south' }]
    expect((await admin('PUT', '/api/v1/teams', teams)).status).toBe(200)
    const roster = [
      { id: '1001', team: 'north' },
      { id: '2001', team: 'south' },
    ]
    expect((await admin('PUT', '/api/v1/roster', roster)).status).toBe(200)
    const body = `${lateCalls('Sales', 'PJSIP/1001')}\n${lateCalls('Support', 'PJSIP/2001')}`
    expect((await admin('POST', '/api/v1/events/asterisk', body)).status).toBe(200)

    token = await makeToken(admin, {
      role: 'viewer',
      name: 'Sales TV',
      queues: ['Sales'],
      teams: ['north'],
    })
    viewer = caller(server.url, token)

    // Both queues' incidents are open before anyone looks.
    for (let i = 0; i < 50; i++) {
      const open = await admin<{ incidents: unknown[] }>('GET', '/api/v1/incidents?state=open')
      if (open.body.incidents.length >= 3) break
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  })
  afterAll(() => server.cleanup())

  it('gets only Sales in snapshots, with a total over Sales alone', async () => {
    const all = (await admin<Snapshot>('GET', '/api/v1/snapshot')).body
    const own = (await viewer<Snapshot>('GET', '/api/v1/snapshot')).body
    const asked = (await viewer<Snapshot>('GET', '/api/v1/snapshot?queues=Support,Sales')).body

    console.log(
      `scope: admin sees ${Object.keys(all.queues).join(', ')} (${all.total.offered} offered); ` +
        `viewer sees ${Object.keys(own.queues).join(', ')} (${own.total.offered} offered)`,
    )
    expect(Object.keys(all.queues)).toEqual(['Sales', 'Support'])
    expect(Object.keys(own.queues)).toEqual(['Sales'])
    expect(own.total.offered).toBe(5)
    expect(own.total).toEqual(own.queues.Sales)
    expect(Object.keys(asked.queues)).toEqual(['Sales'])
  })

  it('gets only Sales on its socket, and only Sales’s incidents', async () => {
    const socket = await TestSocket.open(`${ws}/ws?alerts=1&token=${token}`)
    const asking = await TestSocket.open(`${ws}/ws?queues=Support&token=${token}`)
    const full = await TestSocket.open(`${ws}/ws?alerts=1&token=${ADMIN_TOKEN}`)
    try {
      const first = (await socket.next((m) => m.type === 'snapshot')) as Snapshot
      expect(Object.keys(first.queues)).toEqual(['Sales'])
      expect(first.total.offered).toBe(5)

      const other = (await asking.next((m) => m.type === 'snapshot')) as Snapshot
      expect(other.queues).toEqual({})
      expect(other.total.offered).toBe(0)

      const shown = (await socket.next(typed('alerts'))) as unknown as AlertsMessage
      const every = (await full.next(typed('alerts'))) as unknown as AlertsMessage
      const subjects = (m: AlertsMessage) => m.incidents.map((i) => i.subject ?? i.scope).sort()
      console.log(`incidents: admin ${subjects(every).join(', ')}; viewer ${subjects(shown)}`)
      expect(subjects(every)).toEqual(['Sales', 'Support', 'all'])
      expect(subjects(shown)).toEqual(['Sales'])
    } finally {
      for (const s of [socket, asking, full]) s.close()
    }
  })

  it('gets only team north’s agents, by API and socket', async () => {
    const all = (await admin<AgentSnapshot>('GET', '/api/v1/agents')).body
    const own = (await viewer<AgentSnapshot>('GET', '/api/v1/agents?team=south,north')).body

    expect(all.agents.map((a) => a.id)).toEqual(['1001', '2001'])
    expect(own.agents.map((a) => a.id)).toEqual(['1001'])
    expect(Object.keys(own.teams)).toEqual(['north'])
    expect(Object.keys(own.queues)).toEqual(['Sales'])
    expect(own.total.agents).toBe(1)

    const socket = await TestSocket.open(`${ws}/ws/agents?team=south&token=${token}`)
    try {
      const board = (await socket.next(typed('agents'))) as unknown as AgentSnapshot
      expect(board.agents).toEqual([])
      expect(board.teams).toEqual({})
    } finally {
      socket.close()
    }
  })

  it('gets Sales’s sparkline only, without the all-queues incidents', async () => {
    const all = await admin<ServiceLevelToday>('GET', '/api/v1/service-level/today')
    const own = await viewer<ServiceLevelToday>('GET', '/api/v1/service-level/today')

    expect(Object.keys(all.body.queues)).toEqual(['Sales', 'Support'])
    expect(all.body.total.incidents.length).toBe(1)
    expect(Object.keys(own.body.queues)).toEqual(['Sales'])
    expect(own.body.total.incidents).toEqual([])
    expect(own.body.total.points.reduce((sum, p) => sum + p.offered, 0)).toBe(5)
  })

  it('gets Sales alone in today’s interval report, as JSON and as CSV', async () => {
    type Intervals = { day: { queues: Record<string, unknown> } }
    const all = await admin<Intervals>('GET', '/api/v1/intervals/today')
    const own = await viewer<Intervals>('GET', '/api/v1/intervals/today?queues=Support,Sales')
    const csv = await viewer<string>('GET', '/api/v1/report.csv?date=today')

    expect(Object.keys(all.body.day.queues)).toEqual(['Sales', 'Support'])
    expect(Object.keys(own.body.day.queues)).toEqual(['Sales'])
    expect(csv.status).toBe(200)
    expect(csv.body).toContain('Sales')
    expect(csv.body).not.toContain('Support')
  })

  it('cannot read incidents, the roster or the rules directly', async () => {
    for (const path of ['/api/v1/incidents', '/api/v1/roster', '/api/v1/alert-rules']) {
      expect((await viewer('GET', path)).status, path).toBe(403)
    }
  })
})

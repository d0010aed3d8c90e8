import { execFile } from 'node:child_process'
import { request } from 'node:http'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import WebSocket from 'ws'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../../server/config.ts'
import { caller, makeToken, type Caller } from '../../helpers/api.ts'
import {
  ADMIN_TOKEN,
  newPrefix,
  redisUrl,
  startTestServer,
  withAuth,
  type TestServer,
} from '../../helpers/test-server.ts'
import { TestSocket } from '../../helpers/ws-client.ts'

// Issue 6: every route and both WebSocket upgrades check the token and a browser's Origin.

const ENTRY = fileURLToPath(new URL('../../../bin/callboard.js', import.meta.url))
const run = promisify(execFile)

function line(id: string): string {
  return `${Math.floor(Date.now() / 1000) - 30}|${id}|Sales|NONE|ENTERQUEUE||1|1`
}

/** Whether a WebSocket upgrade succeeds, or the HTTP status that refused it. */
function upgrade(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url, { headers })
    socket.once('open', () => {
      socket.close()
      resolve(101)
    })
    socket.once('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0))
    socket.once('error', () => resolve(0))
  })
}

/** A GET sent with the given Host header, as a page of a re-pointed name would send it. */
function getWithHost(url: string, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const sent = request(url, { headers: { host } }, (response) => {
      let body = ''
      response.setEncoding('utf8')
      response.on('data', (chunk: string) => (body += chunk))
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }))
    })
    sent.once('error', reject)
    sent.end()
  })
}

const statusWithHost = async (url: string, host: string) => (await getWithHost(url, host)).status

describe('a server listening on loopback', () => {
  // An open server (demo, access off) on 127.0.0.1 is what DNS rebinding would reach: a
  // page of evil.example whose name now points at 127.0.0.1 sends Host: evil.example.
  it('serves loopback names only, and the hosts named in CALLBOARD_HOSTS', async () => {
    const open = await startTestServer()
    const proxied = await startTestServer({ CALLBOARD_HOSTS: 'wall.example.com' }, open.prefix)
    const port = (server: TestServer) => new URL(server.url).port
    try {
      const snapshot = `${open.url}/api/v1/snapshot`
      expect(await statusWithHost(snapshot, `127.0.0.1:${port(open)}`)).toBe(200)
      expect(await statusWithHost(snapshot, `localhost:${port(open)}`)).toBe(200)
      expect(await statusWithHost(snapshot, `evil.example:${port(open)}`)).toBe(403)
      expect(await statusWithHost(`${open.url}/`, 'evil.example')).toBe(403)
      const ws = open.url.replace(/^http/, 'ws')
      expect(await upgrade(`${ws}/ws`, { host: `evil.example:${port(open)}` })).toBe(403)
      expect(await upgrade(`${ws}/ws`)).toBe(101)

      const refused = await getWithHost(snapshot, 'evil.example')
      expect(JSON.parse(refused.body)).toMatchObject({
        error: expect.stringContaining('CALLBOARD_HOSTS'),
      })

      const behind = `${proxied.url}/api/v1/snapshot`
      expect(await statusWithHost(behind, 'wall.example.com')).toBe(200)
      expect(await statusWithHost(behind, 'evil.example')).toBe(403)
    } finally {
      await proxied.stop()
      await open.cleanup()
    }
  })
})

describe('access control', () => {
  let server: TestServer
  let admin: Caller
  let ws: string

  beforeAll(async () => {
    // Known tokens are checked again every 5 s in production; here every 300 ms.
    server = await startTestServer(withAuth(), newPrefix(), { authRefreshMs: 300 })
    admin = caller(server.url, ADMIN_TOKEN)
    ws = server.url.replace(/^http/, 'ws')
  })
  afterAll(() => server.cleanup())

  it('asks for a token everywhere but the health check and the wall’s own files', async () => {
    const anyone = caller(server.url)

    expect((await anyone('GET', '/api/v1/snapshot')).status).toBe(401)
    expect((await anyone('POST', '/api/v1/events/asterisk', line('a'))).status).toBe(401)
    expect((await anyone('GET', '/api/v1/agents')).status).toBe(401)
    expect((await anyone('GET', '/api/v1/incidents')).status).toBe(401)
    expect((await anyone('GET', '/api/v1/tokens')).status).toBe(401)
    expect((await anyone('PUT', '/api/v1/teams', [])).status).toBe(401)
    expect((await anyone('GET', '/api/v1/no-such-route')).status).toBe(401)
    expect(await upgrade(`${ws}/ws`)).toBe(401)
    expect(await upgrade(`${ws}/ws/agents`)).toBe(401)
    expect((await caller(server.url, 'cb_not-a-token')('GET', '/api/v1/snapshot')).status).toBe(401)

    expect((await anyone('GET', '/healthz')).status).toBe(200)
    expect((await anyone('GET', '/pair')).status).toBe(200)
    expect(await server.redis.xlen(server.keys.events)).toBe(0)
  })

  it('lets each role do its part and nothing more', async () => {
    const as = {
      ingest: caller(server.url, await makeToken(admin, { role: 'ingest', name: 'pbx' })),
      viewer: caller(server.url, await makeToken(admin, { role: 'viewer', name: 'tv' })),
      supervisor: caller(server.url, await makeToken(admin, { role: 'supervisor', name: 'w' })),
      admin,
    }
    const teams = [{ id: 'north', name: 'North' }]
    // [what, method, path, body, the roles allowed]
    const checks: [string, string, string, unknown, string[]][] = [
      ['post events', 'POST', '/api/v1/events/asterisk', line('b'), ['ingest', 'admin']],
      ['read figures', 'GET', '/api/v1/snapshot', undefined, ['viewer', 'supervisor', 'admin']],
      ['read agents', 'GET', '/api/v1/agents', undefined, ['viewer', 'supervisor', 'admin']],
      ['read incidents', 'GET', '/api/v1/incidents', undefined, ['supervisor', 'admin']],
      ['read the roster', 'GET', '/api/v1/roster', undefined, ['supervisor', 'admin']],
      ['set teams', 'PUT', '/api/v1/teams', teams, ['admin']],
      ['list tokens', 'GET', '/api/v1/tokens', undefined, ['admin']],
      ['make a pairing code', 'POST', '/api/v1/pairings', { name: 'TV' }, ['admin']],
    ]

    const seen: string[] = []
    for (const [what, method, path, body, allowed] of checks) {
      for (const [role, call] of Object.entries(as)) {
        const { status } = await call(method, path, body)
        const expected = allowed.includes(role) ? 'allowed' : 'refused'
        seen.push(`${role} ${what}: ${status === 403 ? 'refused' : 'allowed'} (${expected})`)
        expect(status === 403 ? 'refused' : 'allowed', `${role} ${what} (${status})`).toBe(expected)
      }
    }
    for (const role of ['viewer', 'supervisor', 'admin'] as const) {
      expect((await as[role]('GET', '/api/v1/auth/me')).body).toMatchObject({ role })
    }
    console.log(`role checks: ${seen.length} (${checks.length} actions × 4 roles)`)
  })

  it('keeps only a hash of each token, and shows when each was last used', async () => {
    const token = await makeToken(admin, { role: 'viewer', name: 'lobby TV' })
    expect((await caller(server.url, token)('GET', '/api/v1/snapshot')).status).toBe(200)

    const stored = JSON.stringify(await server.redis.hgetall(`{${server.prefix}}:auth:tokens`))
    expect(stored).not.toContain(token)
    expect(stored).not.toContain(token.slice(3, 30))

    // Last-seen times are written in batches, every few seconds.
    type Listed = { name: string; lastSeenAt: number | null; token?: string }
    let listed: Listed | undefined
    for (let i = 0; i < 80 && !listed?.lastSeenAt; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100))
      const tokens = await admin<Listed[]>('GET', '/api/v1/tokens')
      listed = tokens.body.find((t) => t.name === 'lobby TV')
    }
    expect(listed?.lastSeenAt).toBeGreaterThan(Date.now() - 60_000)
    expect(listed?.token).toBeUndefined()
  }, 15_000)

  it('ends a revoked token at once, open sockets included, on every process', async () => {
    const other = await startTestServer(withAuth(), server.prefix, { authRefreshMs: 300 })
    try {
      const made = await admin<{ token: string; id: string }>('POST', '/api/v1/tokens', {
        role: 'viewer',
        name: 'to revoke',
      })
      const { token, id } = made.body
      const socket = await TestSocket.open(`${ws}/ws?token=${token}`)
      await socket.next((message) => message.type === 'snapshot')
      const elsewhere = caller(other.url, token)
      expect((await elsewhere('GET', '/api/v1/snapshot')).status).toBe(200)

      const closed = new Promise<number>((resolve) => socket.onClose(resolve))
      expect((await admin('DELETE', `/api/v1/tokens/${id}`)).status).toBe(204)
      expect(await closed).toBe(1008)
      expect((await caller(server.url, token)('GET', '/api/v1/snapshot')).status).toBe(401)
      expect(await upgrade(`${ws}/ws?token=${token}`)).toBe(401)

      // Another process knew the token; it checks its known tokens every few seconds.
      let status = 200
      const started = Date.now()
      while (status === 200 && Date.now() - started < 8000) {
        await new Promise((resolve) => setTimeout(resolve, 200))
        status = (await elsewhere('GET', '/api/v1/snapshot')).status
      }
      console.log(`revoked token refused by the other process after ${Date.now() - started} ms`)
      expect(status).toBe(401)
      expect((await admin('DELETE', `/api/v1/tokens/${id}`)).status).toBe(404)
    } finally {
      await other.stop()
    }
  }, 15_000)

  it('takes ?token= on the WebSocket paths only', async () => {
    const token = await makeToken(admin, { role: 'viewer', name: 'query' })

    expect(await upgrade(`${ws}/ws?token=${token}`)).toBe(101)
    expect(await upgrade(`${ws}/ws/agents?token=${token}`)).toBe(101)
    expect(await upgrade(`${ws}/ws`, { authorization: `Bearer ${token}` })).toBe(101)
    const query = await caller(server.url)('GET', `/api/v1/snapshot?token=${token}`)
    expect(query.status).toBe(401)
  })

  it('trades a token for a same-site cookie that opens requests and sockets', async () => {
    const token = await makeToken(admin, { role: 'viewer', name: 'cookie' })
    const opened = await caller(server.url, token)('POST', '/api/v1/auth/session')
    const cookie = opened.headers.get('set-cookie') ?? ''

    expect(opened.status).toBe(200)
    expect(cookie).toMatch(/^callboard_session=cb_[\w-]+; Max-Age=\d+; Path=\//)
    expect(cookie).toContain('HttpOnly')
    expect(cookie).toContain('SameSite=Strict')
    const session = { cookie: cookie.split(';')[0] ?? '' }
    expect((await caller(server.url, undefined, session)('GET', '/api/v1/snapshot')).status).toBe(
      200,
    )
    expect(await upgrade(`${ws}/ws`, session)).toBe(101)
    expect(await upgrade(`${ws}/ws`, { ...session, origin: 'http://evil.example' })).toBe(403)
    expect((await caller(server.url)('POST', '/api/v1/auth/session')).status).toBe(401)
  })

  it('refuses a browser of another origin, on sockets and requests alike', async () => {
    const token = await makeToken(admin, { role: 'admin', name: 'origin' })
    const host = new URL(server.url).host
    const evil = { origin: 'http://evil.example' }

    expect(await upgrade(`${ws}/ws?token=${token}`, evil)).toBe(403)
    expect(await upgrade(`${ws}/ws?token=${token}`, { origin: `http://${host}` })).toBe(101)
    const posted = await caller(server.url, token, evil)('POST', '/api/v1/events/asterisk', 'x')
    expect(posted.status).toBe(403)
    expect(posted.body).toMatchObject({ error: expect.stringContaining('CALLBOARD_ORIGINS') })

    const allowing = await startTestServer(
      withAuth({ CALLBOARD_ORIGINS: 'http://evil.example' }),
      server.prefix,
    )
    try {
      const url = `${allowing.url.replace(/^http/, 'ws')}/ws?token=${token}`
      expect(await upgrade(url, evil)).toBe(101)
    } finally {
      await allowing.stop()
    }
  })

  it('makes the first admin token from the command line, into the same Redis', async () => {
    const env = {
      PATH: process.env.PATH,
      REDIS_URL: redisUrl(),
      CALLBOARD_PREFIX: server.prefix,
      CALLBOARD_LOG_LEVEL: 'silent',
    }
    const made = await run(process.execPath, [ENTRY, 'token', 'create', '--role', 'admin'], { env })
    const token = made.stdout.trim()

    expect(token).toMatch(/^cb_[\w-]{43}$/)
    expect(made.stderr).toContain('shown this once')
    const me = await caller(server.url, token)('GET', '/api/v1/auth/me')
    expect(me.body).toMatchObject({ role: 'admin', name: 'admin from the command line' })

    // Last seen in the site's zone: Shanghai is 8 hours ahead of UTC all year.
    const shanghai = { ...env, CALLBOARD_TZ: 'Asia/Shanghai' }
    let row = ''
    for (let attempt = 0; attempt < 20 && !row.includes('+08:00'); attempt++) {
      const listed = await run(process.execPath, [ENTRY, 'token', 'list'], { env: shanghai })
      row = listed.stdout.split('\n').find((line) => line.includes('from the command line')) ?? ''
      if (!row.includes('+08:00')) await new Promise((resolve) => setTimeout(resolve, 250))
    }
    // An admin's token has no scope: the row says it reaches every queue and team.
    expect(row).toMatch(/ {2}queues all {2}teams all$/)
    const seen = /last seen (\S+ \S+) \+08:00/.exec(row)?.[1] ?? ''
    const seenAt = Date.parse(`${seen.replace(' ', 'T')}+08:00`)
    expect(Math.abs(Date.now() - seenAt)).toBeLessThan(60_000)

    // A viewer's scope names what it is limited to; an ingest token reads nothing.
    const create = (...args: string[]) =>
      run(process.execPath, [ENTRY, 'token', 'create', '--role', ...args], { env })
    await create('viewer', '--name', 'wall', '--queues', 'Sales')
    await create('ingest', '--name', 'pbx')
    const rows = (await run(process.execPath, [ENTRY, 'token', 'list'], { env })).stdout
    expect(rows).toMatch(/ viewer {2}"wall" {2}last seen never {2}queues Sales {2}teams all\n/)
    expect(rows).toMatch(/ ingest {2}"pbx" {2}last seen never\n/)

    const elsewhere = { ...env, CALLBOARD_PREFIX: `${server.prefix}-none` }
    const none = await run(process.execPath, [ENTRY, 'token', 'list'], { env: elsewhere })
    expect(none.stdout).toBe('')
    expect(none.stderr).toContain(`no tokens under CALLBOARD_PREFIX=${server.prefix}-none`)
  }, 30_000)

  it('refuses a short bootstrap token without printing it', () => {
    expect(() => loadConfig({ CALLBOARD_ADMIN_TOKEN: 'secret' })).toThrow(
      'CALLBOARD_ADMIN_TOKEN=(hidden): expected at least 32 characters',
    )
    expect(() => loadConfig({ CALLBOARD_AUTH: 'maybe' })).toThrow('expected on or off')
  })

  it('needs no token while access control is off', async () => {
    const open = await startTestServer({}, newPrefix())
    try {
      expect((await caller(open.url)('GET', '/api/v1/snapshot')).status).toBe(200)
      expect(await upgrade(`${open.url.replace(/^http/, 'ws')}/ws`)).toBe(101)
      expect((await caller(open.url)('GET', '/api/v1/auth/me')).body).toMatchObject({
        role: 'admin',
        id: 'anonymous',
      })
    } finally {
      await open.cleanup()
    }
  })
})

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Snapshot } from '../../../shared/protocol.ts'
import { caller, makeToken, type Caller } from '../../helpers/api.ts'
import {
  ADMIN_TOKEN,
  newPrefix,
  startTestServer,
  withAuth,
  type TestServer,
} from '../../helpers/test-server.ts'

// Issue 6: a TV is paired once with a short code; ingest is limited per token, across
// processes; pairing tries are limited per address.

function calls(tag: string, queues: string[]): string {
  const at = Math.floor(Date.now() / 1000) - 30
  return queues.map((queue, i) => `${at}|${tag}-${i}|${queue}|NONE|ENTERQUEUE||1|1`).join('\n')
}

describe('pairing a TV', () => {
  let server: TestServer
  let admin: Caller
  const tv = () => caller(server.url)

  beforeAll(async () => {
    server = await startTestServer(withAuth())
    admin = caller(server.url, ADMIN_TOKEN)
    await admin('POST', '/api/v1/events/asterisk', calls('p', ['Sales', 'Support']))
  })
  afterAll(() => server.cleanup())

  it('trades a short code once for a viewer token with the code’s scope', async () => {
    const made = await admin<{ code: string; expiresAt: number }>('POST', '/api/v1/pairings', {
      name: 'TV by the door',
      queues: ['Sales'],
      path: '/?window=interval',
    })
    expect(made.status).toBe(201)
    expect(made.body.code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/)
    expect(made.body.expiresAt).toBeGreaterThan(Date.now() + 10 * 60_000)

    // Typed on a remote: lower case, no dash.
    const typed = made.body.code.replace('-', '').toLowerCase()
    const paired = await tv()<{ token: string; path: string; name: string }>(
      'POST',
      '/api/v1/pair',
      { code: typed },
    )
    expect(paired.status).toBe(201)
    expect(paired.body).toMatchObject({ path: '/?window=interval', name: 'TV by the door' })

    const again = await tv()('POST', '/api/v1/pair', { code: made.body.code })
    expect(again.status).toBe(404)

    const wall = caller(server.url, paired.body.token)
    const snapshot = await wall<Snapshot>('GET', '/api/v1/snapshot')
    expect(Object.keys(snapshot.body.queues)).toEqual(['Sales'])
    expect((await wall('GET', '/api/v1/auth/me')).body).toMatchObject({
      role: 'viewer',
      scope: { queues: ['Sales'] },
    })
  })

  it('refuses a path to another site and a scope on a non-viewer token', async () => {
    const away = await admin('POST', '/api/v1/pairings', { name: 'x', path: '//evil.example' })
    expect(away.status).toBe(400)
    expect(away.body).toMatchObject({ field: 'path' })

    const scoped = await admin('POST', '/api/v1/tokens', {
      role: 'admin',
      name: 'x',
      queues: ['Sales'],
    })
    expect(scoped.status).toBe(400)
    expect(scoped.body).toMatchObject({ error: expect.stringContaining('only a viewer token') })
  })

  it('allows ten wrong codes a minute from one address, then asks it to wait', async () => {
    const statuses: number[] = []
    let retryAfter: string | null = null
    for (let i = 0; i < 12 && retryAfter === null; i++) {
      const answer = await tv()('POST', '/api/v1/pair', { code: `WRONG${i}00` })
      statuses.push(answer.status)
      retryAfter = answer.headers.get('retry-after')
    }

    console.log(`pairing tries: ${statuses.join(' ')} (Retry-After ${retryAfter} s)`)
    expect(statuses.at(-1)).toBe(429)
    expect(statuses.filter((status) => status === 404).length).toBeLessThanOrEqual(10)
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1)
  })
})

describe('the ingest rate limit', () => {
  const prefix = newPrefix()
  const limits = withAuth({ CALLBOARD_INGEST_RATE: '1', CALLBOARD_INGEST_BURST: '5' })
  let servers: TestServer[] = []

  beforeAll(async () => {
    servers = [await startTestServer(limits, prefix), await startTestServer(limits, prefix)]
  })
  afterAll(async () => {
    await servers[1]?.stop()
    await servers[0]?.cleanup()
  })

  it('holds per token across processes: 429 with Retry-After, and nothing stored', async () => {
    const admin = caller(servers[0]!.url, ADMIN_TOKEN)
    const token = await makeToken(admin, { role: 'ingest', name: 'pbx' })
    const statuses: number[] = []
    let retryAfter = ''

    for (let i = 0; i < 12; i++) {
      const post = caller(servers[i % 2]!.url, token)
      const answer = await post('POST', '/api/v1/events/asterisk', calls(`r${i}`, ['Sales']))
      statuses.push(answer.status)
      if (answer.status === 429) retryAfter = answer.headers.get('retry-after') ?? ''
    }
    const accepted = statuses.filter((status) => status === 200).length
    const stored = await servers[0]!.redis.xlen(servers[0]!.keys.events)

    console.log(
      `ingest limit (burst 5, 1/s) over two processes: sent 12, accepted ${accepted}, ` +
        `refused ${statuses.filter((status) => status === 429).length}, stored ${stored}`,
    )
    expect(accepted).toBeGreaterThanOrEqual(5)
    expect(accepted).toBeLessThanOrEqual(6)
    expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200])
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1)
    expect(stored).toBe(accepted)

    // Another token has a bucket of its own.
    const other = caller(servers[1]!.url, await makeToken(admin, { role: 'ingest', name: 'b' }))
    expect((await other('POST', '/api/v1/events/asterisk', calls('o', ['Sales']))).status).toBe(200)
  })
})

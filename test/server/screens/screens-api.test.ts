/**
 * Screens (issue 5): layouts stored in Redis, changed by admins only, checked field by field,
 * and followed live by every server process on the same Redis.
 */
import { Redis } from 'ioredis'
import { afterEach, describe, expect, it } from 'vitest'
import type { Screen, ScreenMessage } from '../../../shared/screens.ts'
import { caller, makeToken } from '../../helpers/api.ts'
import {
  ADMIN_TOKEN,
  deleteKeys,
  newPrefix,
  redisUrl,
  startTestServer,
  withAuth,
  type TestServer,
} from '../../helpers/test-server.ts'
import { TestSocket } from '../../helpers/ws-client.ts'

const FLOOR = {
  pages: [
    { kind: 'queues', queues: ['Sales', '报修热线'], figures: ['serviceLevel', 'waiting'] },
    { kind: 'agents', teams: ['north'] },
  ],
  rotationSeconds: 15,
  theme: 'light',
  language: 'zh',
}

/** The screen a socket message carries; undefined for a heartbeat. */
const screenOf = (message: unknown) => (message as Partial<ScreenMessage>).screen

const started: TestServer[] = []
afterEach(async () => {
  const prefixes = new Set(started.map((server) => server.prefix))
  for (const server of started.splice(0)) await server.cleanup().catch(() => {})
  // A stopped server's keys are still there when its successor on the prefix stopped first.
  const redis = new Redis(redisUrl())
  for (const prefix of prefixes) await deleteKeys(redis, prefix)
  redis.disconnect()
})

async function serve(prefix = newPrefix(), env = withAuth()): Promise<TestServer> {
  const server = await startTestServer(env, prefix, { authRefreshMs: 300 })
  started.push(server)
  return server
}

describe('screens API', () => {
  it('lets an admin store a screen, and a viewer read it, with who and when', async () => {
    const server = await serve()
    const admin = caller(server.url, ADMIN_TOKEN)
    const viewer = caller(server.url, await makeToken(admin, { role: 'viewer', name: 'TV' }))
    const before = Date.now()

    const put = await admin<Screen>('PUT', '/api/v1/screens/floor-2-tv', FLOOR)
    expect(put.status).toBe(200)
    // Defaults fill what was left out: the agents page's window, the tile page's total.
    expect(put.body.pages).toEqual([
      {
        kind: 'queues',
        queues: ['Sales', '报修热线'],
        figures: ['serviceLevel', 'waiting'],
        window: 'today',
        total: true,
      },
      { kind: 'agents', teams: ['north'], queues: null, window: 'today' },
    ])
    expect(put.body).toMatchObject({ name: 'floor-2-tv', theme: 'light', language: 'zh' })
    // The bootstrap admin of withAuth() is the environment's token, named so.
    expect(put.body.updatedBy).toBeTruthy()
    expect(put.body.updatedAt).toBeGreaterThanOrEqual(before)
    expect(put.body.revision).toBeGreaterThan(0)

    const one = await viewer<Screen>('GET', '/api/v1/screens/floor-2-tv')
    expect(one.status).toBe(200)
    expect(one.body).toEqual(put.body)
    const all = await viewer<Screen[]>('GET', '/api/v1/screens')
    expect(all.body.map((screen) => screen.name)).toEqual(['floor-2-tv'])
    expect((await viewer('GET', '/api/v1/screens/nowhere')).status).toBe(404)
  })

  it('refuses changes from viewers and supervisors, and from nobody', async () => {
    const server = await serve()
    const admin = caller(server.url, ADMIN_TOKEN)
    const viewer = caller(server.url, await makeToken(admin, { role: 'viewer', name: 'TV' }))
    const boss = caller(server.url, await makeToken(admin, { role: 'supervisor', name: 'Li' }))

    expect((await caller(server.url)('PUT', '/api/v1/screens/a', FLOOR)).status).toBe(401)
    expect((await viewer('PUT', '/api/v1/screens/a', FLOOR)).status).toBe(403)
    expect((await boss('PUT', '/api/v1/screens/a', FLOOR)).status).toBe(403)
    expect((await admin('PUT', '/api/v1/screens/a', FLOOR)).status).toBe(200)
    expect((await boss('DELETE', '/api/v1/screens/a')).status).toBe(403)
    expect((await boss('GET', '/api/v1/screens/a')).status).toBe(200)

    expect((await admin('DELETE', '/api/v1/screens/a')).status).toBe(204)
    expect((await admin('GET', '/api/v1/screens/a')).status).toBe(404)
    expect((await admin('DELETE', '/api/v1/screens/a')).status).toBe(404)
  })

  it('answers 400 naming the wrong field, and stores nothing', async () => {
    const server = await serve()
    const admin = caller(server.url, ADMIN_TOKEN)
    const refused = async (body: unknown) => {
      const answer = await admin<{ field: string; error: string }>('PUT', '/api/v1/screens/x', body)
      expect(answer.status).toBe(400)
      return answer.body
    }

    const bad = (change: object) => ({ ...FLOOR, ...change })
    expect((await refused(bad({ theme: 'pink' }))).field).toBe('theme')
    expect((await refused(bad({ rotationSeconds: 2 }))).field).toBe('rotationSeconds')
    expect((await refused(bad({ language: 'fr' }))).field).toBe('language')
    expect((await refused(bad({ pages: [] }))).field).toBe('pages')
    const figure = bad({ pages: [{ kind: 'queues', figures: ['serviceLevel', 'mood'] }] })
    expect((await refused(figure)).field).toBe('pages.0.figures.1')
    const window = bad({ pages: [FLOOR.pages[0], { kind: 'agents', window: 'week' }] })
    expect((await refused(window)).field).toBe('pages.1.window')
    expect((await refused(bad({ colour: 'red' }))).error).toMatch(/colour/)
    expect((await refused('{"pages": [')).field).toBe('body')

    const name = await admin<{ field: string }>('PUT', '/api/v1/screens/bad%20name', FLOOR)
    expect(name.status).toBe(400)
    expect(name.body.field).toBe('name')
    expect((await admin<Screen[]>('GET', '/api/v1/screens')).body).toEqual([])

    const socket = await fetch(`${server.url}/ws/screen?name=..%2Fetc`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    })
    expect(socket.status).toBe(400)
    expect(((await socket.json()) as { field: string }).field).toBe('name')
  })

  it('names every wrong field in words, as the settings do', async () => {
    const server = await serve()
    const admin = caller(server.url, ADMIN_TOKEN)
    const [tiles, agents] = FLOOR.pages

    const wrong = await admin('PUT', '/api/v1/screens/floor-2-tv', {
      ...FLOOR,
      pages: [{ ...tiles, window: '2h' }, agents],
      rotationSeconds: 2,
      language: 'fr',
    })
    expect(wrong.status).toBe(400)
    const windows = 'one of "today", "interval", "15m", "30m" or "60m"'
    const languages = 'expected zh or en, or null for each viewer\'s own, got "fr"'
    expect(wrong.body).toEqual({
      error: `field pages.0.window: expected ${windows}, got "2h"`,
      field: 'pages.0.window',
      errors: [
        { field: 'pages.0.window', message: `expected ${windows}, got "2h"` },
        { field: 'rotationSeconds', message: 'expected 5 to 3600 seconds, got 2' },
        { field: 'language', message: languages },
      ],
    })

    const notJson = await admin('PUT', '/api/v1/screens/floor-2-tv', '{"pages": [')
    const parser = 'the body is not valid JSON (line 1): Unexpected end of JSON input'
    expect(notJson.body).toEqual({
      error: `field body: ${parser}`,
      field: 'body',
      errors: [{ field: 'body', message: parser }],
    })
    expect((await admin('GET', '/api/v1/screens')).body).toEqual([])
  })

  it('takes the names the README promises: 1 to 64, a letter or digit first', async () => {
    const server = await serve()
    const admin = caller(server.url, ADMIN_TOKEN)
    const status = async (name: string) =>
      (await admin('PUT', `/api/v1/screens/${encodeURIComponent(name)}`, FLOOR)).status

    for (const name of ['7', 'a'.repeat(64), 'Floor_2.tv-b']) expect(await status(name)).toBe(200)
    for (const name of ['a'.repeat(65), '.tv', '-tv', '_tv', 'tv 2', '大屏']) {
      expect(await status(name)).toBe(400)
    }
  })

  it('refuses a change made from an old revision (409), so two managers lose nothing', async () => {
    const server = await serve()
    const admin = caller(server.url, ADMIN_TOKEN)
    const first = await admin<Screen>('PUT', '/api/v1/screens/door', FLOOR)

    const second = await admin<Screen>('PUT', '/api/v1/screens/door', {
      ...FLOOR,
      theme: 'dark',
      revision: first.body.revision,
    })
    expect(second.status).toBe(200)
    const late = await admin<{ field: string }>('PUT', '/api/v1/screens/door', {
      ...FLOOR,
      theme: 'high-contrast',
      revision: first.body.revision,
    })
    expect(late.status).toBe(409)
    expect(late.body.field).toBe('revision')
    expect((await admin<Screen>('GET', '/api/v1/screens/door')).body.theme).toBe('dark')
  })

  it('cuts a limited viewer’s pages to its queues and teams', async () => {
    const server = await serve()
    const admin = caller(server.url, ADMIN_TOKEN)
    const sales = { role: 'viewer', name: 'Sales TV', queues: ['Sales'], teams: ['south'] }
    const token = await makeToken(admin, sales)
    const viewer = caller(server.url, token)
    await admin('PUT', '/api/v1/screens/floor', FLOOR)

    // 报修热线 is cut from the first page; the second names team north only: dropped.
    const seen = await viewer<Screen>('GET', '/api/v1/screens/floor')
    expect(seen.body.pages).toEqual([
      {
        kind: 'queues',
        queues: ['Sales'],
        figures: ['serviceLevel', 'waiting'],
        window: 'today',
        total: true,
      },
    ])

    // The TV's socket gets the same cut.
    const url = `${server.url.replace(/^http/, 'ws')}/ws/screen?name=floor`
    const tv = await TestSocket.open(url, { headers: { authorization: `Bearer ${token}` } })
    const first = await tv.next((message) => screenOf(message) !== undefined)
    expect(screenOf(first)?.pages).toEqual(seen.body.pages)
    tv.close()
  })

  it('makes a pairing code that sends the paired TV to its screen', async () => {
    const server = await serve()
    const admin = caller(server.url, ADMIN_TOKEN)

    const made = await admin<{ code: string; path: string }>('POST', '/api/v1/pairings', {
      name: 'TV by the door',
      screen: 'floor-2-tv',
    })
    expect(made.status).toBe(201)
    expect(made.body.path).toBe('/?screen=floor-2-tv')
    const paired = await caller(server.url)<{ path: string }>('POST', '/api/v1/pair', {
      code: made.body.code,
    })
    expect(paired.body.path).toBe('/?screen=floor-2-tv')

    const both = await admin<{ field: string }>('POST', '/api/v1/pairings', {
      name: 'TV',
      screen: 'floor-2-tv',
      path: '/agents',
    })
    expect(both.status).toBe(400)
    expect(both.body.field).toBe('screen')
  })

  it('reaches a TV on a second server process within moments, and a restart keeps it', async () => {
    const prefix = newPrefix()
    const one = await serve(prefix, {})
    const two = await serve(prefix, {})
    const tv = await TestSocket.open(`${two.url.replace(/^http/, 'ws')}/ws/screen?name=lobby`)

    // None yet: the TV is told so at once.
    await tv.next((message) => screenOf(message) === null)

    await caller(one.url)('PUT', '/api/v1/screens/lobby', { ...FLOOR, by: 'Wang Fang' })
    const started = Date.now()
    const changed = await tv.next((message) => screenOf(message)?.theme === 'light', 3000)
    expect(Date.now() - started).toBeLessThan(2000)
    // With access control off, nobody's token names the author: the body's `by` does.
    expect(screenOf(changed)?.updatedBy).toBe('Wang Fang')

    await caller(one.url)('PUT', '/api/v1/screens/lobby', { ...FLOOR, theme: 'high-contrast' })
    await tv.next((message) => screenOf(message)?.theme === 'high-contrast')
    // Counted before the delete: the TV may hear of it before the writer's answer arrives.
    const removed = tv.messages.length
    await caller(one.url)('DELETE', '/api/v1/screens/lobby')
    await tv.next(
      (message) => tv.messages.indexOf(message) >= removed && screenOf(message) === null,
    )

    await caller(one.url)('PUT', '/api/v1/screens/lobby', FLOOR)
    await two.stop()
    tv.close()
    const three = await serve(prefix, {})
    expect((await caller(three.url)<Screen>('GET', '/api/v1/screens/lobby')).body.theme).toBe(
      'light',
    )
  })
})

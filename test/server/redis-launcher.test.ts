import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Redis } from 'ioredis'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { silentLogger } from '../../server/logger.ts'
import {
  answersPing,
  ensureRedis,
  startRedisServer,
  type RedisHandle,
} from '../../server/redis/launcher.ts'

const logger = silentLogger()

let dataDir: string
const handles: RedisHandle[] = []
const clients: Redis[] = []

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'callboard-redis-'))
})

afterEach(async () => {
  for (const client of clients.splice(0)) client.disconnect()
  for (const handle of handles.splice(0)) await handle.stop()
  await rm(dataDir, { recursive: true, force: true })
})

async function start(): Promise<RedisHandle> {
  const handle = await startRedisServer({ dataDir, logger })
  handles.push(handle)
  return handle
}

function connect(url: string): Redis {
  const client = new Redis(url, { maxRetriesPerRequest: 1 })
  // A client of a server the test stops retries until disconnected; its refusals are expected.
  client.on('error', () => {})
  clients.push(client)
  return client
}

describe('ensureRedis', () => {
  it('uses an explicit url as given and starts nothing', async () => {
    const url = 'redis://127.0.0.1:1/0'
    const handle = await ensureRedis({ url, dataDir, logger })

    expect(handle).toMatchObject({ url, started: false })
    await handle.stop()
  })

  it('without a url, finds the Redis on the default port or starts one', async () => {
    const handle = await ensureRedis({ dataDir, logger })
    handles.push(handle)

    expect(await answersPing(handle.url, 1000)).toBe(true)
    if (!handle.started) expect(handle.url).toBe('redis://127.0.0.1:6379')
  })
})

describe('startRedisServer', () => {
  it('starts redis-server on a free port with the append-only file on', async () => {
    const handle = await start()

    expect(handle.started).toBe(true)
    expect(handle.url).toMatch(/^redis:\/\/127\.0\.0\.1:\d+$/)
    const client = connect(handle.url)
    expect(await client.config('GET', 'appendonly')).toEqual(['appendonly', 'yes'])
    expect(await client.config('GET', 'save')).toEqual(['save', ''])
  })

  it('keeps data across a stop and a start on the same directory', async () => {
    const first = await start()
    await connect(first.url).set('callboard:test', 'kept')
    await first.stop()
    expect(await answersPing(first.url, 300)).toBe(false)

    const second = await start()

    expect(await connect(second.url).get('callboard:test')).toBe('kept')
  })

  it('reuses a server it started earlier that is still running on the directory', async () => {
    const first = await start()

    // As if the process had been killed without calling stop(): the server runs on.
    const again = await startRedisServer({ dataDir, logger })

    expect(again.url).toBe(first.url)
    await again.stop()
    expect(await answersPing(first.url, 300)).toBe(false)
  })

  it('says how to install Redis when the executable is missing', async () => {
    const starting = startRedisServer({ dataDir, logger, executable: 'redis-server-missing-xyz' })

    const error = await starting.then(
      () => undefined,
      (err: Error) => err,
    )
    expect(error?.message).toMatch(/^callboard needs Redis 7: install it/)
    expect(error?.message).toContain('sudo apt-get install redis-server')
    expect(error?.message).toContain('brew install redis')
    expect(error?.message).toContain('REDIS_URL')
  })

  it('reports the tail of the server output when it fails to start', async () => {
    const blocker = await start()
    const port = Number(new URL(blocker.url).port)

    const otherDir = await mkdtemp(join(tmpdir(), 'callboard-redis-'))
    const starting = startRedisServer({ dataDir: otherDir, logger, port })

    await expect(starting).rejects.toThrow(/exited .* before answering[\s\S]*Last lines/)
    await rm(otherDir, { recursive: true, force: true })
  })
})

import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { UpdateMessage } from '../../../shared/protocol.ts'
import { silentLogger } from '../../../server/logger.ts'
import { startRedisServer, type RedisHandle } from '../../../server/redis/launcher.ts'
import { ServerProcess } from '../../helpers/server-process.ts'
import { answeredCalls } from '../../helpers/answered-calls.ts'
import { newPrefix } from '../../helpers/test-server.ts'
import { TestSocket } from '../../helpers/ws-client.ts'

// Issue 6: Redis stops and comes back (a redis-server process of this test's own, on the
// same port and data directory). While it is away the server refuses ingest with 503 and
// sends its walls nothing, not even heartbeats, so they turn stale; once it is back the
// engine goes on from the last stream id it applied — no rebuild, nothing counted twice —
// and the walls get fresh figures.

async function post(server: ServerProcess, body: string) {
  const response = await fetch(`${server.url}/api/v1/events/asterisk`, { method: 'POST', body })
  const answer = (await response.json()) as { lastId?: string }
  return { status: response.status, retryAfter: response.headers.get('retry-after'), ...answer }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('Redis stopped and started again under a running server', () => {
  let redis: RedisHandle | undefined
  let server: ServerProcess | undefined

  afterAll(async () => {
    await server?.stop()
    await redis?.stop()
  })

  it('refuses ingest, goes silent, then resumes from its stream id', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'callboard-redis-restart-'))
    redis = await startRedisServer({ dataDir, logger: silentLogger() })
    const port = Number(new URL(redis.url).port)
    server = await ServerProcess.start({ redisUrl: redis.url, prefix: newPrefix() })
    const socket = await TestSocket.open(`${server.wsUrl}/ws?window=60m`)

    const before = await post(server, answeredCalls('before', 10))
    expect(before.status).toBe(200)
    await socket.next((message) => message.streamId === before.lastId)

    await redis.stop()
    const refused = await post(server, answeredCalls('during', 5))
    const health = await fetch(`${server.url}/healthz`)
    // The hub notices at its next push; from then on the wall hears nothing.
    await sleep(1200)
    const heardUntil = socket.messages.length
    const silenceStarted = Date.now()
    await sleep(2500)
    const heardWhileDown = socket.messages.length - heardUntil
    const silentMs = Date.now() - silenceStarted

    redis = await startRedisServer({ dataDir, port, logger: silentLogger() })
    let after = await post(server, answeredCalls('after', 10))
    for (let attempt = 0; attempt < 50 && after.status !== 200; attempt++) {
      await sleep(100)
      after = await post(server, answeredCalls('after', 10))
    }
    const fresh = (await socket.next((m) => m.streamId === after.lastId)) as UpdateMessage
    const rebuilds = server.logged('engine_rebuilt').length

    console.log(
      `Redis restart: ingest answered ${refused.status} (Retry-After ${refused.retryAfter}) ` +
        `while down, /healthz ${health.status}; the wall heard ${heardWhileDown} messages in ` +
        `${silentMs} ms of outage, then ${fresh.total.answered} calls answered (10 before, ` +
        `10 after); engine rebuilt ${rebuilds} time(s), at start only`,
    )
    expect(refused.status).toBe(503)
    expect(refused.retryAfter).toBe('2')
    expect(health.status).toBe(503)
    expect(heardWhileDown).toBe(0)
    expect(fresh.type).toBe('update')
    expect(fresh.total.answered).toBe(20)
    expect(rebuilds).toBe(1)
    socket.close()
  }, 40_000)
})

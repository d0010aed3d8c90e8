import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { UpdateMessage } from '../../../shared/protocol.ts'
import { silentLogger } from '../../../server/logger.ts'
import { startRedisServer, type RedisHandle } from '../../../server/redis/launcher.ts'
import { REDIS_COMMAND_TIMEOUT_MS } from '../../../server/server.ts'
import { STALL_MS } from '../../../server/store/stream-reader.ts'
import { ServerProcess, type LogLine } from '../../helpers/server-process.ts'
import { answeredCalls } from '../../helpers/answered-calls.ts'
import { newPrefix } from '../../helpers/test-server.ts'
import { TestSocket } from '../../helpers/ws-client.ts'

// Issue 6: Redis hangs with its connections open (its process stopped with SIGSTOP, a
// redis-server of this test's own). Nothing is refused, nothing answers. The server must
// notice by itself: ingest answers 503 within the command timeout, /healthz 503, and the
// walls hear nothing, so they turn stale. After SIGCONT every event acknowledged is counted
// once; the request answered 503 was sent, so Redis may have stored it on waking, and
// re-sending it stores nothing twice.

interface Answer {
  status: number
  retryAfter: string | null
  ms: number
  accepted?: number
  duplicates?: number
  lastId?: string
}

async function post(server: ServerProcess, body: string): Promise<Answer> {
  const started = Date.now()
  // Bounded, so that a server that never answers fails the test instead of hanging it.
  const response = await fetch(`${server.url}/api/v1/events/asterisk`, {
    method: 'POST',
    body,
    signal: AbortSignal.timeout(REDIS_COMMAND_TIMEOUT_MS + 10_000),
  })
  const answer = (await response.json()) as Omit<Answer, 'status' | 'retryAfter' | 'ms'>
  const retryAfter = response.headers.get('retry-after')
  return { status: response.status, retryAfter, ms: Date.now() - started, ...answer }
}

/** Posts until acknowledged, as a sender retrying its 503s does. */
async function postUntilAccepted(server: ServerProcess, body: string): Promise<Answer> {
  let answer = await post(server, body)
  for (let attempt = 0; attempt < 50 && answer.status !== 200; attempt++) {
    await sleep(100)
    answer = await post(server, body)
  }
  return answer
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('Redis hanging under a running server (SIGSTOP, then SIGCONT)', () => {
  let redis: RedisHandle | undefined
  let server: ServerProcess | undefined
  let stopped = false

  // Resumed before anything is stopped: a stopped redis-server ignores SIGTERM, and the
  // server's shutdown would wait on it.
  afterAll(async () => {
    if (stopped && redis?.pid !== undefined) process.kill(redis.pid, 'SIGCONT')
    await server?.stop()
    await redis?.stop()
  })

  it('answers 503 within the timeout, goes silent, then counts every event once', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'callboard-redis-hang-'))
    redis = await startRedisServer({ dataDir, logger: silentLogger() })
    const pid = redis.pid
    if (pid === undefined) throw new Error('the test needs a redis-server of its own')
    server = await ServerProcess.start({ redisUrl: redis.url, prefix: newPrefix() })
    const socket = await TestSocket.open(`${server.wsUrl}/ws?window=60m`)

    const before = await post(server, answeredCalls('before', 10))
    expect(before.status).toBe(200)
    await socket.next((message) => message.streamId === before.lastId)

    // Built once: a re-send must be the same lines, as a tail re-sends them.
    const during = answeredCalls('during', 5)
    process.kill(pid, 'SIGSTOP')
    stopped = true
    const heardAtStop = socket.messages.length
    const [hung, read] = await Promise.all([
      post(server, during),
      fetch(`${server.url}/api/v1/service-level/today`),
    ])
    const health = await fetch(`${server.url}/healthz`)
    const healthBody = (await health.json()) as { redis: boolean }
    // By now (the command timeout is longer than STALL_MS) the stall has been noticed.
    const heardUntil = socket.messages.length
    const silenceStarted = Date.now()
    await sleep(2500)
    const heardWhileHung = socket.messages.length - heardUntil
    const silentMs = Date.now() - silenceStarted

    process.kill(pid, 'SIGCONT')
    stopped = false
    const after = await postUntilAccepted(server, answeredCalls('after', 10))
    const fresh = (await socket.next((m) => m.streamId === after.lastId)) as UpdateMessage
    // What the 503 left behind: Redis ran the command it had been sent when it woke, or not.
    const storedWhileHung = fresh.total.answered - 20
    // The sender re-sends what got a 503; whatever was stored already is dropped.
    const resent = await postUntilAccepted(server, during)
    const lastId = resent.lastId ?? after.lastId
    const counted = (await socket.next(
      (m) => m.type === 'update' && m.streamId === lastId && m.total.answered === 25,
    )) as UpdateMessage
    // The event stream's reader, and the reader of the other processes' figures.
    const of = (component: string) => (line: LogLine) => line.component === component
    const stalls = server.logged('stream_stalled').filter(of('engine'))
    const resumes = server.logged('stream_resumed').filter(of('engine'))
    const followerStalls = server.logged('stream_stalled').filter(of('cluster'))

    const wokeWith = storedWhileHung === 5 ? 'stored when Redis woke' : 'not stored'
    console.log(
      `Redis hang: ingest answered ${hung.status} (Retry-After ${hung.retryAfter}) after ` +
        `${hung.ms} ms (command timeout ${REDIS_COMMAND_TIMEOUT_MS} ms), service level ` +
        `${read.status}, /healthz ${health.status}; the wall heard ${heardUntil - heardAtStop} ` +
        `messages before the stall was noticed (${STALL_MS} ms), then ${heardWhileHung} in ` +
        `${silentMs} ms. Sent 25 calls (10 before, 5 while hung, 10 after); acknowledged 20, ` +
        `and the 5 answered 503 were ${wokeWith}, so their re-send stored ` +
        `${(resent.accepted ?? 0) / 2} and dropped ${(resent.duplicates ?? 0) / 2}; counted ` +
        `${counted.total.answered} answered. Logged ${stalls.length} stream_stalled, ` +
        `${resumes.length} stream_resumed (${resumes[0]?.stalledMs} ms without a reply)`,
    )
    expect(hung.status).toBe(503)
    expect(hung.retryAfter).toBe('2')
    expect(hung.ms).toBeLessThan(REDIS_COMMAND_TIMEOUT_MS + 2000)
    expect(read.status).toBe(503)
    expect(read.headers.get('retry-after')).toBe('2')
    expect(health.status).toBe(503)
    expect(healthBody.redis).toBe(false)
    expect(heardWhileHung).toBe(0)
    expect(after.status).toBe(200)
    expect(fresh.type).toBe('update')
    expect([0, 5]).toContain(storedWhileHung)
    expect(resent.status).toBe(200)
    expect(resent.duplicates).toBe(storedWhileHung * 2)
    expect(counted.total.answered).toBe(25)
    expect(stalls).toHaveLength(1)
    expect(resumes).toHaveLength(1)
    expect(followerStalls).toHaveLength(1)
    socket.close()
  }, 60_000)
})

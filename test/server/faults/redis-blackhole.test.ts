import { Redis } from 'ioredis'
import { afterAll, describe, expect, it } from 'vitest'
import type { UpdateMessage } from '../../../shared/protocol.ts'
import { REDIS_SILENT_RECONNECT_MS } from '../../../server/redis/silence-watch.ts'
import { answeredCalls } from '../../helpers/answered-calls.ts'
import { BlackholeProxy } from '../../helpers/blackhole-proxy.ts'
import { ServerProcess } from '../../helpers/server-process.ts'
import { deleteKeys, newPrefix, redisUrl } from '../../helpers/test-server.ts'
import { TestSocket } from '../../helpers/ws-client.ts'

// Issue 6: the server's connections to Redis go dead without a reset (a failover that moved
// Redis's address, a NAT that forgot the flow) while Redis itself is fine and a new
// connection would work. TCP would notice only after hours; the server must connect again
// by itself, so that ingest is acknowledged and the walls get fresh figures, with every
// acknowledged event counted once.

async function post(server: ServerProcess, body: string) {
  const response = await fetch(`${server.url}/api/v1/events/asterisk`, {
    method: 'POST',
    body,
    signal: AbortSignal.timeout(20_000),
  })
  const answer = (await response.json()) as { lastId?: string; duplicates?: number }
  return { status: response.status, ...answer }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('Redis connections that go dead without a reset', () => {
  let proxy: BlackholeProxy | undefined
  let server: ServerProcess | undefined

  const prefix = newPrefix()

  afterAll(async () => {
    await server?.stop()
    await proxy?.stop()
    // The server wrote to the tests' own Redis through the proxy: its keys go too.
    const redis = new Redis(redisUrl())
    await deleteKeys(redis, prefix)
    redis.disconnect()
  })

  it('are replaced by new ones, and ingest and the walls come back by themselves', async () => {
    const redis = new URL(redisUrl())
    proxy = await BlackholeProxy.start({ host: redis.hostname, port: Number(redis.port) })
    server = await ServerProcess.start({ redisUrl: proxy.url, prefix })
    const socket = await TestSocket.open(`${server.wsUrl}/ws?window=60m`)

    const before = await post(server, answeredCalls('before', 10))
    expect(before.status).toBe(200)
    await socket.next((message) => message.streamId === before.lastId)

    const swallowed = proxy.swallowOpenConnections()
    const connectionsBefore = proxy.connections
    const cut = Date.now()
    // As a sender does: each request that is not acknowledged is sent again.
    const during = answeredCalls('during', 10)
    let answer = await post(server, during)
    const refusals: number[] = []
    while (answer.status !== 200 && Date.now() - cut < REDIS_SILENT_RECONNECT_MS + 20_000) {
      refusals.push(answer.status)
      await sleep(500)
      answer = await post(server, during)
    }
    const recoveredMs = Date.now() - cut
    const counted = (await socket.next(
      (m) => m.type === 'update' && m.total.answered === 20,
      REDIS_SILENT_RECONNECT_MS + 10_000,
    )) as UpdateMessage
    const wallMs = Date.now() - cut
    const reconnects = server.logged('redis_silent_reconnect')

    console.log(
      `dead connections: ${swallowed} swallowed; ingest answered ${refusals.join(', ') || '-'} ` +
        `then ${answer.status} after ${recoveredMs} ms, the wall counted ` +
        `${counted.total.answered} answered after ${wallMs} ms; ` +
        `${proxy.connections - connectionsBefore} new connections, ${reconnects.length} ` +
        `reconnects logged (${reconnects.map((r) => r.connection).join(', ')})`,
    )
    expect(answer.status).toBe(200)
    expect(new Set(refusals)).toEqual(new Set(refusals.length > 0 ? [503] : []))
    expect(counted.total.answered).toBe(20)
    expect(proxy.connections).toBeGreaterThan(connectionsBefore)
  }, 90_000)
})

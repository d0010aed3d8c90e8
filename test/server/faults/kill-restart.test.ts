import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Snapshot } from '../../../shared/protocol.ts'
import { keysFor } from '../../../server/store/keys.ts'
import { deleteKeys } from '../../helpers/redis-keys.ts'
import { ServerProcess } from '../../helpers/server-process.ts'
import { newPrefix, redisUrl } from '../../helpers/test-server.ts'
import { TestSocket } from '../../helpers/ws-client.ts'

// Issue 6: kill -9 the only server in the middle of a stream of posts, start it again:
// every event that got a 2xx is counted after the restart, none twice, and re-sending the
// rest (as a tail does) brings the count to exactly what was sent.

const BATCHES = 40
/** Large enough that a request takes the server a few milliseconds: the kill lands in one. */
const CALLS_PER_BATCH = 150

/** When the calls entered: fixed, so that a batch sent again is the same text, as a tail's. */
const ENTERED = Math.floor(Date.now() / 1000) - 120

/** A batch of answered calls: an ENTERQUEUE and a CONNECT each, within the hour. */
function batch(index: number): string {
  const entered = ENTERED
  const lines: string[] = []
  for (let i = 0; i < CALLS_PER_BATCH; i++) {
    const id = `k-${index}-${i}`
    lines.push(
      `${entered}|${id}|Sales|NONE|ENTERQUEUE||1380000${i}|1`,
      `${entered + 4}|${id}|Sales|PJSIP/1001|CONNECT|4|${id}.b|1`,
    )
  }
  return lines.join('\n')
}

async function postTo(server: ServerProcess, body: string): Promise<number> {
  try {
    const response = await fetch(`${server.url}/api/v1/events/asterisk`, { method: 'POST', body })
    await response.arrayBuffer()
    return response.status
  } catch {
    return 0
  }
}

async function answered(server: ServerProcess): Promise<number> {
  const response = await fetch(`${server.url}/api/v1/snapshot?window=60m`)
  return ((await response.json()) as Snapshot).total.answered
}

describe('a server killed with SIGKILL mid-stream and started again', () => {
  const prefix = newPrefix()
  const stream = keysFor(prefix).events
  let redis: Redis
  let server: ServerProcess

  beforeAll(async () => {
    redis = new Redis(redisUrl())
    server = await ServerProcess.start({ redisUrl: redisUrl(), prefix })
  })
  afterAll(async () => {
    await server.stop()
    await deleteKeys(redis, prefix)
    redis.disconnect()
  })

  it('counts every acknowledged event once after the restart', async () => {
    const acknowledged: number[] = []
    const failed: number[] = []
    const inFlight = new Set<Promise<void>>()

    // Four requests in flight, so some are on their way in as the process dies.
    for (let index = 0; index < BATCHES; index++) {
      if (index === 15) await server.kill()
      const sending = postTo(server, batch(index)).then((status) => {
        ;(status === 200 ? acknowledged : failed).push(index)
      })
      inFlight.add(sending)
      void sending.finally(() => inFlight.delete(sending))
      if (inFlight.size >= 4) await Promise.race(inFlight)
    }
    await Promise.all(inFlight)

    const restartedAt = Date.now()
    server = await ServerProcess.start({ redisUrl: redisUrl(), prefix })
    const restartMs = Date.now() - restartedAt
    const socket = await TestSocket.open(`${server.wsUrl}/ws?window=60m`)
    const first = (await socket.next((m) => m.type === 'snapshot')) as Snapshot
    const inStream = (await redis.xlen(stream)) / 2
    const counted = await answered(server)

    // Re-sending what got no answer is safe: what was stored is dropped as a duplicate.
    for (const index of failed) expect(await postTo(server, batch(index))).toBe(200)
    const entries = await redis.xrange(stream, '-', '+')
    const ids = entries.map(([, fields]) => JSON.parse(fields[1] ?? '{}').id as string)
    const [last] = entries.slice(-1)
    await socket.next((message) => message.streamId === last?.[0], 5000)
    const final = await answered(server)
    socket.close()

    const sent = BATCHES * CALLS_PER_BATCH
    const acked = acknowledged.length * CALLS_PER_BATCH
    console.log(
      `kill -9 mid-stream: sent ${sent} calls (${sent * 2} events), acknowledged ${acked} ` +
        `(${acknowledged.length} batches), no answer for ${failed.length} batches; after ` +
        `restart (${restartMs} ms) ${inStream} calls in the stream (${inStream - acked} ` +
        `stored without an answer), ${counted} counted; after re-sending the unanswered: ` +
        `${final} counted, ${entries.length} events stored, each once`,
    )
    expect(failed.length).toBeGreaterThan(0)
    expect(first.total.answered).toBe(counted)
    expect(counted).toBeGreaterThanOrEqual(acked)
    expect(counted).toBe(inStream)
    expect(new Set(ids).size).toBe(ids.length)
    expect(final).toBe(sent)
    expect(entries.length).toBe(sent * 2)
  }, 60_000)
})

import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Figures } from '../../shared/figures.ts'
import type { ServerMessage, Snapshot } from '../../shared/protocol.ts'
import { keysFor } from '../../server/store/keys.ts'
import { deleteKeys } from '../helpers/redis-keys.ts'
import { ServerProcess } from '../helpers/server-process.ts'
import { newPrefix, redisUrl } from '../helpers/test-server.ts'
import { TestSocket } from '../helpers/ws-client.ts'

// Issue 7: several `callboard serve` processes on one Redis. Ingest on any of them, a
// client on each sees the same figures, and a process killed mid-stream loses nothing
// that it acknowledged.

/** queue_log lines of answered calls `first`…`first + count - 1`, all within the last minute. */
function answeredCalls(tag: string, first: number, count: number): string {
  const now = Math.floor(Date.now() / 1000)
  const lines: string[] = []

  for (let i = first; i < first + count; i++) {
    const id = `${tag}-${i}`
    const queue = ['Sales', 'Support', '报修热线'][i % 3]
    const wait = i % 4 === 0 ? 31 : 6
    const entered = now - 50
    lines.push(
      `${entered}|${id}|${queue}|NONE|ENTERQUEUE||1380000${i}|1`,
      `${entered + wait}|${id}|${queue}|PJSIP/10${i % 7}|CONNECT|${wait}|${id}.b|1`,
      `${entered + wait + 5}|${id}|${queue}|PJSIP/10${i % 7}|COMPLETECALLER|${wait}|5|1`,
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
    // Refused or reset: the process is gone. Not acknowledged, so the sender must re-send.
    return 0
  }
}

/** The stream's last entry id: what every process must have applied once it caught up. */
async function lastStreamId(redis: Redis, stream: string): Promise<string> {
  const [last] = await redis.xrevrange(stream, '+', '-', 'COUNT', 1)
  return last?.[0] ?? '0-0'
}

/** How many times each (event type, call) pair is in the stream. */
async function streamCounts(redis: Redis, stream: string): Promise<Map<string, number>> {
  const counts = new Map<string, number>()
  for (const [, fields] of await redis.xrange(stream, '-', '+')) {
    const event = JSON.parse(fields[1] ?? '{}') as { type: string; callId: string }
    const key = `${event.type} ${event.callId}`
    counts.set(key, (counts.get(key) ?? 0) + 1)
  }
  return counts
}

/** The figures a client shows once it has seen `streamId`: the last update or snapshot. */
async function figuresAt(socket: TestSocket, streamId: string) {
  await socket.next((message) => message.streamId === streamId, 15_000)
  const shown = socket.messages.filter(
    (message): message is Extract<ServerMessage, Snapshot> => message.type !== 'heartbeat',
  )
  const last = shown.at(-1) as Snapshot
  return { queues: last.queues, total: last.total }
}

function offered(figures: { total: Figures }): number {
  return figures.total.offered
}

describe('several server processes on one Redis', () => {
  const prefix = newPrefix()
  const stream = keysFor(prefix).events
  let redis: Redis
  let servers: ServerProcess[] = []
  let sockets: TestSocket[] = []

  beforeAll(async () => {
    redis = new Redis(redisUrl())
    servers = await Promise.all(
      [0, 1, 2].map(() => ServerProcess.start({ redisUrl: redisUrl(), prefix })),
    )
    sockets = await Promise.all(
      servers.map((server) => TestSocket.open(`${server.wsUrl}/ws?window=60m`)),
    )
  }, 60_000)

  afterAll(async () => {
    for (const socket of sockets) socket.close()
    await Promise.all(servers.map((server) => server.stop()))
    await deleteKeys(redis, prefix)
    redis.disconnect()
  })

  it('shows a client on each process the same figures for events posted to others', async () => {
    const statuses = await Promise.all(
      servers.map((server, index) => postTo(server, answeredCalls('same', index * 10, 10))),
    )
    expect(statuses).toEqual([200, 200, 200])

    const last = await lastStreamId(redis, stream)
    const shown = await Promise.all(sockets.map((socket) => figuresAt(socket, last)))
    console.log(`several servers: ${shown.map(offered).join(' / ')} calls offered (posted 30)`)

    expect(offered(shown[0]!)).toBe(30)
    expect(shown[1]).toEqual(shown[0])
    expect(shown[2]).toEqual(shown[0])
  })

  it('counts each acknowledged event once on the survivors of a SIGKILL', async () => {
    const [first, second, victim] = servers as [ServerProcess, ServerProcess, ServerProcess]
    const batches = Array.from({ length: 45 }, (_, i) => answeredCalls('kill', i * 4, 4))
    const acknowledged: number[] = []
    const failed: number[] = []
    const inFlight = new Set<Promise<void>>()

    // Round robin, four requests in flight, so some are on their way to the victim as it dies.
    for (const [index, body] of batches.entries()) {
      if (index === 15) await victim.kill()
      const sending = postTo(servers[index % 3]!, body).then((status) => {
        ;(status === 200 ? acknowledged : failed).push(index)
      })
      inFlight.add(sending)
      void sending.finally(() => inFlight.delete(sending))
      if (inFlight.size >= 4) await Promise.race(inFlight)
    }
    await Promise.all(inFlight)

    const survivors = [sockets[0]!, sockets[1]!]
    const beforeResend = await streamCounts(redis, stream)
    const lastBefore = await lastStreamId(redis, stream)
    const shownBefore = await Promise.all(survivors.map((socket) => figuresAt(socket, lastBefore)))
    const ackedCalls = acknowledged.length * 4

    for (const index of acknowledged) {
      for (let call = index * 4; call < index * 4 + 4; call++) {
        for (const type of ['call.enter', 'call.answer', 'call.end']) {
          expect(beforeResend.get(`${type} kill-${call}`)).toBe(1)
        }
      }
    }
    expect(shownBefore[1]).toEqual(shownBefore[0])
    // 30 from the first test; unacknowledged batches may or may not have been stored.
    expect(offered(shownBefore[0]!)).toBeGreaterThanOrEqual(30 + ackedCalls)
    expect(offered(shownBefore[0]!)).toBe(beforeResend.size / 3)

    // Re-sending what was not acknowledged is safe: stored ones are dropped as duplicates.
    for (const index of failed) expect(await postTo(first, batches[index]!)).toBe(200)
    const afterResend = await streamCounts(redis, stream)
    const lastAfter = await lastStreamId(redis, stream)
    const shownAfter = await Promise.all(survivors.map((socket) => figuresAt(socket, lastAfter)))

    console.log(
      `several servers, one killed: ${acknowledged.length} batches acknowledged ` +
        `(${ackedCalls} calls), ${failed.length} refused; survivors counted ` +
        `${shownBefore.map((s) => offered(s) - 30).join(' / ')} calls before the re-send of ` +
        `the refused, ${shownAfter.map((s) => offered(s) - 30).join(' / ')} after (posted 180)`,
    )
    expect(failed.length).toBeGreaterThan(0)
    expect([...afterResend.values()].every((count) => count === 1)).toBe(true)
    expect(afterResend.size).toBe((30 + 180) * 3)
    expect(shownAfter.map(offered)).toEqual([210, 210])
    expect(shownAfter[1]).toEqual(shownAfter[0])
    expect(second.child.exitCode).toBeNull()
  }, 60_000)
})

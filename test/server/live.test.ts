import { describe, expect, it } from 'vitest'
import type { Snapshot } from '../../shared/protocol.ts'
import {
  deleteKeys,
  newPrefix,
  post,
  serversPerTest,
  type TestServer,
} from '../helpers/test-server.ts'
import { TestSocket } from '../helpers/ws-client.ts'

const startServer = serversPerTest()

async function serve(prefix?: string) {
  return startServer({}, prefix)
}

/** queue_log lines for one call entering `agoS` seconds ago and answered after `waitS`. */
function answeredCall(id: string, agoS: number, waitS: number, queue = 'Sales'): string {
  const entered = Math.floor(Date.now() / 1000) - agoS
  return [
    `${entered}|${id}|${queue}|NONE|ENTERQUEUE||13800000000|1`,
    `${entered + waitS}|${id}|${queue}|PJSIP/1001|CONNECT|${waitS}|b-${id}|1`,
  ].join('\n')
}

async function snapshot(server: TestServer, query = 'window=today'): Promise<Snapshot> {
  return (await (await fetch(`${server.url}/api/v1/snapshot?${query}`)).json()) as Snapshot
}

describe('live figures', () => {
  it('sends a snapshot on connect, then an update with the stream id of an event', async () => {
    const server = await serve()
    const socket = await TestSocket.open(`${server.url.replace('http', 'ws')}/ws?window=15m`)

    const first = await socket.next((message) => message.type === 'snapshot')
    expect(first).toMatchObject({ type: 'snapshot', window: '15m', streamId: '0-0' })

    const answer = await post(`${server.url}/api/v1/events/asterisk`, answeredCall('w1', 60, 12))
    const update = await socket.next(
      (message) => message.type === 'update' && message.total.offered === 1,
    )

    expect(update).toMatchObject({
      streamId: answer.body.lastId,
      total: { serviceLevel: 1, asa: 12 },
    })
    socket.close()
  })

  it('rebuilds the same figures from Redis after a restart', async () => {
    const prefix = newPrefix()
    const first = await serve(prefix)
    const calls = [
      answeredCall('r1', 600, 5),
      answeredCall('r2', 500, 35),
      answeredCall('r3', 400, 15, '报修热线'),
    ]
    await post(`${first.url}/api/v1/events/asterisk`, calls.join('\n'))
    const before = await snapshot(first)
    await first.stop()

    const second = await serve(prefix)
    const after = await snapshot(second)

    expect(after.streamId).toBe(before.streamId)
    expect(after.queues).toEqual(before.queues)
    expect(after.total).toMatchObject({ offered: 3, answeredWithinThreshold: 2, answered: 3 })
    await deleteKeys(second.redis, prefix)
  })

  it('shows a waiting call as a miss once its wait passes T, with no further event', async () => {
    const server = await serve()
    const entered = Math.floor(Date.now() / 1000) - 18
    await post(`${server.url}/api/v1/events/asterisk`, `${entered}|s1|Sales|NONE|ENTERQUEUE||1|1`)

    const early = await snapshot(server)
    expect(early.queues.Sales).toMatchObject({ waiting: 1, offered: 0, serviceLevel: null })

    await new Promise((resolve) => setTimeout(resolve, 3000))
    const late = await snapshot(server)
    expect(late.queues.Sales).toMatchObject({ waiting: 1, offered: 1, serviceLevel: 0 })
    expect(late.queues.Sales?.longestWait).toBeGreaterThanOrEqual(20)
  })

  it('gives two servers on one Redis the same figures', async () => {
    const prefix = newPrefix()
    const a = await serve(prefix)
    const b = await serve(prefix)

    await post(`${a.url}/api/v1/events/asterisk`, answeredCall('m1', 100, 30))
    await post(`${b.url}/api/v1/events/asterisk`, answeredCall('m2', 90, 3))
    await new Promise((resolve) => setTimeout(resolve, 300))

    const [fromA, fromB] = [await snapshot(a), await snapshot(b)]
    expect(fromA.streamId).toBe(fromB.streamId)
    expect(fromA.queues).toEqual(fromB.queues)
    expect(fromA.total).toMatchObject({ offered: 2, serviceLevel: 0.5 })
  })
})

import { randomBytes } from 'node:crypto'
import { connect, type Socket } from 'node:net'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { keysFor } from '../../../server/store/keys.ts'
import { deleteKeys } from '../../helpers/redis-keys.ts'
import { ServerProcess } from '../../helpers/server-process.ts'
import { newPrefix, redisUrl } from '../../helpers/test-server.ts'
import { TestSocket } from '../../helpers/ws-client.ts'

// Issue 6: a WebSocket client that never reads — here a bare TCP socket that does the
// upgrade by hand and then reads nothing — cannot grow the server's memory without bound
// or hold back the other clients; the server closes it once it stays stuck.

const QUEUES = 600
const STUCK_SECONDS = 2

/** One waiting call in each of `QUEUES` queues, so that every message is large. */
function waitingCalls(tag: string): string {
  const at = Math.floor(Date.now() / 1000) - 5
  return Array.from({ length: QUEUES }, (_, q) => {
    return `${at}|${tag}-${q}|queue-${String(q).padStart(3, '0')}|NONE|ENTERQUEUE||1|1`
  }).join('\n')
}

/** Upgrades by hand and then never reads: the server's writes pile up. */
async function stuckClient(url: string): Promise<Socket> {
  const { hostname, port } = new URL(url)
  const socket = connect(Number(port), hostname)
  await new Promise((resolve) => socket.once('connect', resolve))
  socket.write(
    [
      'GET /ws?window=60m HTTP/1.1',
      `Host: ${hostname}:${port}`,
      'Upgrade: websocket',
      'Connection: Upgrade',
      `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
      'Sec-WebSocket-Version: 13',
      '',
      '',
    ].join('\r\n'),
  )
  socket.pause()
  return socket
}

/** Reads whatever the server had queued for the socket, until it is closed. */
function drain(socket: Socket): Promise<number> {
  let bytes = 0
  return new Promise((resolve) => {
    socket.on('data', (chunk: Buffer) => (bytes += chunk.length))
    socket.once('close', () => resolve(bytes))
    socket.once('error', () => resolve(bytes))
    socket.resume()
  })
}

describe('a client that never reads', () => {
  const prefix = newPrefix()
  let server: ServerProcess
  let redis: Redis

  beforeAll(async () => {
    redis = new Redis(redisUrl())
    server = await ServerProcess.start({
      redisUrl: redisUrl(),
      prefix,
      env: { CALLBOARD_WS_STUCK_SECONDS: String(STUCK_SECONDS), CALLBOARD_PUSH_MS: '50' },
    })
  })
  afterAll(async () => {
    await server.stop()
    await deleteKeys(redis, prefix)
    redis.disconnect()
  })

  it('is closed once stuck, with memory bounded and the other clients on time', async () => {
    const post = (body: string) =>
      fetch(`${server.url}/api/v1/events/asterisk`, { method: 'POST', body }).then((r) => r.text())
    await post(waitingCalls('first'))

    const stuck = await stuckClient(server.url)
    const reader = await TestSocket.open(`${server.wsUrl}/ws?window=60m`)
    let lastMessageAt = Date.now()
    let longestGap = 0

    // New calls as fast as the other client takes them: each push is a whole update of
    // every queue, over 100 KB.
    const started = Date.now()
    let round = 0
    while (server.logged('ws_client_stuck').length === 0 && Date.now() - started < 25_000) {
      const count = reader.messages.length
      await post(waitingCalls(`round-${round++}`))
      await reader.next(() => reader.messages.length > count, 2000).catch(() => undefined)
      longestGap = Math.max(longestGap, Date.now() - lastMessageAt)
      lastMessageAt = Date.now()
    }
    const closedAfter = Date.now() - started

    const [last] = await redis.xrevrange(keysFor(prefix).events, '+', '-', 'COUNT', 1)
    await reader.next((message) => message.streamId === last?.[0], 3000)
    const queued = await drain(stuck)
    const size = JSON.stringify(reader.messages.at(-1) ?? '').length
    reader.close()

    const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1)
    console.log(
      `stuck client: closed after ${(closedAfter / 1000).toFixed(1)} s of updates of ` +
        `${(size / 1024).toFixed(0)} KB (${round} rounds); it had ${mb(queued)} MB ` +
        `queued in all (kernel buffers included); the other client's longest wait ` +
        `${longestGap} ms`,
    )
    expect(server.logged('ws_client_stuck').length).toBe(1)
    // All the server ever held for it, at most: the kernel's buffers, 1 MiB and a message.
    expect(queued).toBeLessThan(16 * 1024 * 1024)
    expect(longestGap).toBeLessThan(2500)
  }, 40_000)
})

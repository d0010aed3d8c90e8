/**
 * A stand-in server for the wall benchmark: serves the built wall and feeds its WebSocket
 * a snapshot of N queues, then updates in which every queue's figures change, at a fixed
 * rate. The wall's own cost is measured apart from any server's.
 */
import { readFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { extname, join, normalize } from 'node:path'
import { WebSocketServer } from 'ws'
import { deriveFigures, type Figures } from '../shared/figures.ts'
import type { ServerMessage, Snapshot } from '../shared/protocol.ts'
import { queueName } from './traffic.ts'

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
}

export interface WallFeed {
  url: string
  /** Updates sent so far. */
  updates(): number
  close(): Promise<void>
}

export async function startWallFeed(options: {
  webDir: string
  queues: number
  updatesPerS: number
}): Promise<WallFeed> {
  const http = createServer(
    (request, response) => void serveFile(options.webDir, request.url, response),
  )
  const wss = new WebSocketServer({ server: http, path: '/ws' })
  let sent = 0
  let step = 0

  const timer = setInterval(() => {
    step += 1
    const body = JSON.stringify({ type: 'update', ...snapshot(options.queues, step) })
    for (const client of wss.clients) client.send(body)
    sent += 1
  }, 1000 / options.updatesPerS)

  wss.on('connection', (socket) => {
    const message: ServerMessage = { type: 'snapshot', ...snapshot(options.queues, step) }
    socket.send(JSON.stringify(message))
  })

  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve))
  const { port } = http.address() as AddressInfo

  return {
    url: `http://127.0.0.1:${port}`,
    updates: () => sent,
    async close() {
      clearInterval(timer)
      for (const client of wss.clients) client.terminate()
      await new Promise((resolve) => wss.close(resolve))
      await closeServer(http)
    },
  }
}

/** Figures that move at every step, on both sides of the target, for every queue. */
function snapshot(queues: number, step: number): Snapshot {
  const now = Date.now()
  const byQueue: Record<string, Figures> = {}
  let offeredAll = 0
  let metAll = 0

  for (let q = 0; q < queues; q++) {
    const offered = 200 + step * 3 + q
    const met = Math.round(offered * (0.6 + ((q * 7 + step) % 35) / 100))
    offeredAll += offered
    metAll += met
    byQueue[queueName(q)] = figures(offered, met, q + step, now)
  }

  return {
    asOf: now,
    window: 'today',
    windowStart: now - 8 * 3600 * 1000,
    windowLabel: 'since 00:00 UTC',
    streamId: `${now}-${step}`,
    threshold: 20,
    target: 0.8,
    tz: 'UTC',
    queues: byQueue,
    total: figures(offeredAll, metAll, step, now),
  }
}

function figures(offered: number, met: number, seed: number, now: number): Figures {
  const answered = Math.min(offered, met + (seed % 9))
  return deriveFigures(
    {
      offered,
      answeredWithinThreshold: met,
      answered,
      answerWaitMs: answered * (8000 + (seed % 20) * 1000),
      abandoned: offered - answered,
      abandonedWithinThreshold: 0,
      exited: 0,
      handled: answered,
      handleMs: answered * (150_000 + (seed % 60) * 1000),
    },
    { waiting: seed % 7, oldestEnteredAt: seed % 7 === 0 ? null : now - (seed % 40) * 1000 },
    now,
  )
}

async function serveFile(
  webDir: string,
  url: string | undefined,
  response: import('node:http').ServerResponse,
) {
  const path = new URL(url ?? '/', 'http://wall').pathname
  const file = path === '/' ? 'index.html' : normalize(path).replace(/^([/\\])+/, '')

  try {
    const body = await readFile(join(webDir, file))
    response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' })
    response.end(body)
  } catch {
    response.writeHead(404).end()
  }
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()))
}

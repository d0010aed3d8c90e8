/**
 * The bench's load process: holds WebSocket clients of a server and posts events to it,
 * in a process apart from the server's, and measures at the clients how long an event
 * takes from its POST to the first message that includes it. Driven over IPC by
 * load-runner.ts.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { round, spread, type Spread } from '../stats.ts'
import { bodies, makeCalls } from '../traffic.ts'
import { openClients, waitUntil, type LoadClient } from './ws-clients.ts'

export type LoadCommand =
  | { cmd: 'connect'; wsUrl: string; count: number }
  | { cmd: 'steady'; url: string; eventsPerS: number; seconds: number; queues: number }
  | { cmd: 'pushOne'; url: string }
  | { cmd: 'close' }

export interface SteadyResult {
  latencyMs: Spread
  /** From sending a POST to its 2xx answer, i.e. until the events are in Redis. */
  ackMs: Spread
  posts: number
  events: number
  /** (post, client) pairs where the client never got a message including the post. */
  missing: number
  /** Events per second actually posted. */
  postedPerS: number
  /** How late this process's own event loop ran (p99, max): its share of the latency. */
  loadLoopDelayMs: { p99: number; max: number }
}

interface Post {
  sentAt: number
  /** When the 2xx answer arrived: the event is in Redis. */
  ackedAt: number
  lastId: string
}

const clients: LoadClient[] = []
let sequence = 0

async function handle(command: LoadCommand): Promise<unknown> {
  switch (command.cmd) {
    case 'connect':
      clients.push(...(await openClients(command.wsUrl, command.count, { parallel: 200 })))
      return { connected: clients.length }
    case 'steady':
      return await steady(command.url, command.eventsPerS, command.seconds, command.queues)
    case 'pushOne':
      return await pushOne(command.url)
    case 'close':
      for (const client of clients) client.close()
      setTimeout(() => process.exit(0), 50)
      return {}
  }
}

/** Posts ~20-event requests at a steady rate, then matches posts to client arrivals. */
async function steady(url: string, eventsPerS: number, seconds: number, queues: number) {
  for (const client of clients) client.keepAll(true)
  const loopDelay = monitorEventLoopDelay({ resolution: 5 })
  loopDelay.enable()
  const posts: Post[] = []
  const inFlight = new Set<Promise<void>>()
  const started = performance.now()
  let events = 0

  while (performance.now() - started < seconds * 1000) {
    const due = ((performance.now() - started) / 1000) * eventsPerS
    while (events < due) {
      const body = nextBody(queues)
      events += body.events
      const sending = postOne(url, body.text).then((post) => void posts.push(post))
      inFlight.add(sending)
      void sending.finally(() => inFlight.delete(sending))
    }
    await new Promise((resolve) => setTimeout(resolve, 2))
  }
  await Promise.all(inFlight)
  loopDelay.disable()
  await new Promise((resolve) => setTimeout(resolve, 1500))

  const latencies: number[] = []
  let missing = 0
  // The first second warms the server up; it is left out of the figures.
  const measured = posts.filter((post) => post.sentAt - started > 1000)
  for (const post of measured) {
    for (const client of clients) {
      const at = client.arrivalOf(post.lastId)
      if (at === null) missing += 1
      else latencies.push(at - post.sentAt)
    }
  }
  for (const client of clients) client.keepAll(false)

  return {
    latencyMs: spread(latencies),
    ackMs: spread(measured.map((post) => post.ackedAt - post.sentAt)),
    posts: posts.length,
    events,
    missing,
    postedPerS: Math.round(events / seconds),
    loadLoopDelayMs: {
      p99: round(loopDelay.percentile(99) / 1e6),
      max: round(loopDelay.max / 1e6),
    },
  } satisfies SteadyResult
}

/** One call's events in one request; resolves when every client has a message including it. */
async function pushOne(url: string) {
  for (const client of clients) client.keepAll(true)
  const body = nextBody(1, 1)
  const post = await postOne(url, body.text)
  await waitUntil(() => clients.every((client) => client.arrivalOf(post.lastId) !== null), 30_000)

  let last = 0
  for (const client of clients) last = Math.max(last, client.arrivalOf(post.lastId) ?? 0)
  for (const client of clients) client.keepAll(false)
  return { ms: last - post.sentAt, clients: clients.length }
}

function nextBody(queues: number, calls = 7): { text: string; events: number } {
  sequence += 1
  const batch = makeCalls({ calls, queues, tag: `live-${process.pid}-${sequence}`, spreadS: 0 })
  const [text = ''] = bodies(batch, Infinity, 'queue_log')
  return { text, events: text.split('\n').length }
}

async function postOne(url: string, text: string): Promise<Post> {
  const sentAt = performance.now()
  const response = await fetch(`${url}/api/v1/events/asterisk`, { method: 'POST', body: text })
  const answer = (await response.json()) as { lastId?: string; error?: string }
  if (!response.ok || !answer.lastId) throw new Error(`ingest ${response.status}: ${answer.error}`)
  return { sentAt, ackedAt: performance.now(), lastId: answer.lastId }
}

process.on('message', (message: LoadCommand & { requestId: number }) => {
  handle(message).then(
    (result) => process.send?.({ requestId: message.requestId, result }),
    (error: unknown) =>
      process.send?.({ requestId: message.requestId, error: String((error as Error)?.stack) }),
  )
})

/**
 * Ingest throughput: events per second from HTTP requests to figures that count them,
 * through a server in a child process, for queue_log text and for NDJSON; and, against
 * the same Redis, the most a Node client can append with raw pipelined XADD.
 */
import { STORED_FORM } from '../server/store/event-store.ts'
import type { Snapshot } from '../shared/protocol.ts'
import { ServerProcess } from '../test/helpers/server-process.ts'
import type { BenchRedis } from './bench-redis.ts'
import { compareStreamIds, maxStreamId, round, sleep } from './stats.ts'
import { bodies, eventCount, makeCalls, toCanonical, type Call } from './traffic.ts'

export interface IngestOptions {
  /** Calls per format; a call is 2 or 3 events. */
  calls: number
  queues: number
  eventsPerRequest: number
  /** Requests in flight at once. */
  concurrency: number
}

export interface IngestResult {
  queueLogEventsPerS: number
  ndjsonEventsPerS: number
  xaddEventsPerS: number
  /** HTTP-to-figures rate of the slower format ÷ the XADD ceiling. */
  ratio: number
  events: number
  eventsPerRequest: number
  concurrency: number
}

export async function benchIngest(redis: BenchRedis, options: IngestOptions) {
  const prefix = redis.prefix('ingest')
  const server = await ServerProcess.start({ redisUrl: redis.url, prefix })

  try {
    let counted = 0
    const rate = async (format: 'queue_log' | 'ndjson', tag: string) => {
      const calls = makeCalls({ calls: options.calls, queues: options.queues, tag })
      counted += calls.length
      return await ingestRate(server, calls, format, counted, options)
    }

    const queueLog = await rate('queue_log', 'ql')
    const ndjson = await rate('ndjson', 'nd')
    const calls = makeCalls({ calls: options.calls, queues: options.queues, tag: 'xa' })
    const xadd = await xaddRate(redis, `{${prefix}}:xadd-ceiling`, calls)

    return {
      queueLogEventsPerS: Math.round(queueLog.perS),
      ndjsonEventsPerS: Math.round(ndjson.perS),
      xaddEventsPerS: Math.round(xadd),
      ratio: round(Math.min(queueLog.perS, ndjson.perS) / xadd, 2),
      events: queueLog.events,
      eventsPerRequest: options.eventsPerRequest,
      concurrency: options.concurrency,
    } satisfies IngestResult
  } finally {
    await server.stop()
    await redis.drop(prefix)
  }
}

/**
 * Posts every call and waits until the server's engine has applied the last entry and its
 * 60-minute figures offer `expectedOffered` calls (this run's and earlier runs').
 */
async function ingestRate(
  server: ServerProcess,
  calls: Call[],
  format: 'queue_log' | 'ndjson',
  expectedOffered: number,
  options: IngestOptions,
) {
  const path = format === 'queue_log' ? '/api/v1/events/asterisk' : '/api/v1/events'
  const type = format === 'queue_log' ? 'text/plain' : 'application/x-ndjson'
  const pending = bodies(calls, options.eventsPerRequest, format)
  const lastIds: string[] = []
  const started = performance.now()

  const worker = async () => {
    for (let body = pending.shift(); body !== undefined; body = pending.shift()) {
      const response = await fetch(server.url + path, {
        method: 'POST',
        body,
        headers: { 'content-type': type },
      })
      const answer = (await response.json()) as { lastId?: string; error?: string }
      if (!response.ok || !answer.lastId)
        throw new Error(`ingest ${response.status}: ${answer.error}`)
      lastIds.push(answer.lastId)
    }
  }
  await Promise.all(Array.from({ length: options.concurrency }, worker))

  await waitForStreamId(server, maxStreamId(lastIds))
  const elapsedMs = performance.now() - started

  const snapshot = (await (
    await fetch(`${server.url}/api/v1/snapshot?window=60m`)
  ).json()) as Snapshot
  if (snapshot.total.offered !== expectedOffered) {
    throw new Error(`figures offer ${snapshot.total.offered} calls, expected ${expectedOffered}`)
  }
  const events = eventCount(calls)
  return { events, perS: (events / elapsedMs) * 1000 }
}

async function waitForStreamId(server: ServerProcess, streamId: string): Promise<void> {
  const deadline = Date.now() + 120_000

  while (Date.now() < deadline) {
    const health = (await (await fetch(`${server.url}/healthz`)).json()) as { streamId: string }
    if (compareStreamIds(health.streamId, streamId) >= 0) return
    await sleep(5)
  }
  throw new Error(`the engine did not reach stream id ${streamId} within 120 s`)
}

/** Raw pipelined XADD of the same events, 5,000 per pipeline, two pipelines in flight. */
async function xaddRate(redis: BenchRedis, stream: string, calls: Call[]): Promise<number> {
  const payloads = calls.flatMap((call) =>
    toCanonical(call).map((event, index) =>
      JSON.stringify({ ...event, id: `${call.id}.${index}` }),
    ),
  )
  const batches: string[][] = []
  for (let i = 0; i < payloads.length; i += 5000) batches.push(payloads.slice(i, i + 5000))

  const started = performance.now()
  const worker = async () => {
    for (let batch = batches.shift(); batch !== undefined; batch = batches.shift()) {
      const pipeline = redis.client.pipeline()
      for (const payload of batch) pipeline.xadd(stream, '*', 'e', payload, 'v', STORED_FORM)
      await pipeline.exec()
    }
  }
  await Promise.all([worker(), worker()])

  return (payloads.length / (performance.now() - started)) * 1000
}

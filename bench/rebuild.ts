/**
 * Recovery: how long a server starting against a stream of a million events takes to
 * rebuild today's figures from it. The events are written straight into the stream as
 * the event store writes them (canonical JSON with an id, field `e`, and the stored form's
 * version, field `v`), in time order.
 */
import { STORED_FORM } from '../server/store/event-store.ts'
import { ServerProcess } from '../test/helpers/server-process.ts'
import type { Snapshot } from '../shared/protocol.ts'
import type { BenchRedis } from './bench-redis.ts'
import { round } from './stats.ts'
import { makeCalls, toCanonical } from './traffic.ts'

export interface RebuildOptions {
  /** About this many events are written (whole calls). */
  events: number
  queues: number
}

export interface RebuildResult {
  events: number
  /** From the reader's start to its catching up with the stream (the server's own log). */
  rebuildMs: number
  /** Events applied per second during the rebuild. */
  eventsPerS: number
  /** From spawning the process to its listening, start-up of Node and tsx included. */
  startToListenMs: number
  /** How long writing the events took (pipelined XADD), for the record. */
  writeMs: number
}

export async function benchRebuild(redis: BenchRedis, options: RebuildOptions) {
  const prefix = redis.prefix('rebuild')

  try {
    const calls = makeCalls({
      calls: Math.round(options.events / 2.9),
      queues: options.queues,
      tag: 'rb',
    })
    const events = calls.flatMap((call) =>
      toCanonical(call).map((event, index) => ({ ...event, id: `${call.id}.${index}` })),
    )
    events.sort((a, b) => a.ts - b.ts)

    const writeStarted = performance.now()
    const stream = `{${prefix}}:events`
    for (let i = 0; i < events.length; i += 10_000) {
      const pipeline = redis.client.pipeline()
      for (const event of events.slice(i, i + 10_000)) {
        pipeline.xadd(stream, '*', 'e', JSON.stringify(event), 'v', STORED_FORM)
      }
      await pipeline.exec()
    }
    const writeMs = performance.now() - writeStarted

    const started = performance.now()
    const server = await ServerProcess.start({ redisUrl: redis.url, prefix, timeoutMs: 120_000 })
    const startToListenMs = performance.now() - started

    try {
      const rebuilt = server.logged('engine_rebuilt')[0]
      const rebuildMs = Number(rebuilt?.ms)
      const response = await fetch(`${server.url}/api/v1/snapshot?window=60m`)
      const snapshot = (await response.json()) as Snapshot
      if (snapshot.total.offered !== calls.length) {
        throw new Error(`rebuilt figures offer ${snapshot.total.offered}, expected ${calls.length}`)
      }

      return {
        events: events.length,
        rebuildMs,
        eventsPerS: Math.round((events.length / rebuildMs) * 1000),
        startToListenMs: Math.round(startToListenMs),
        writeMs: round(writeMs, 0),
      } satisfies RebuildResult
    } finally {
      await server.stop()
    }
  } finally {
    await redis.drop(prefix)
  }
}

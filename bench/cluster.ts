/**
 * Several servers: the same ingest as `ingest`, posted round robin to two processes on one
 * Redis, until both show figures that count every event (each snapshot's stream id, which
 * covers the other process's queues only once their owner has sent them); and how long a
 * survivor takes to count a killed process's queues again.
 */
import type { Snapshot } from '../shared/protocol.ts'
import { ServerProcess } from '../test/helpers/server-process.ts'
import type { BenchRedis } from './bench-redis.ts'
import { compareStreamIds, maxStreamId, sleep } from './stats.ts'
import { bodies, eventCount, makeCalls } from './traffic.ts'

export interface ClusterOptions {
  calls: number
  queues: number
  eventsPerRequest: number
  concurrency: number
}

export interface ClusterResult {
  processes: number
  /** queue_log over HTTP to both processes' figures, events a second. */
  eventsPerS: number
  events: number
  /** From the kill until the survivor counts every event again, and its recount. */
  takeoverMs: number
  recountMs: number
  recountEvents: number
}

interface Counting {
  partitions: number[]
  events: number
}

export async function benchCluster(redis: BenchRedis, options: ClusterOptions) {
  const prefix = redis.prefix('cluster')
  const servers = await Promise.all(
    [0, 1].map(() => ServerProcess.start({ redisUrl: redis.url, prefix })),
  )

  try {
    await settled(servers)
    const calls = makeCalls({ calls: options.calls, queues: options.queues, tag: 'cl' })
    const pending = bodies(calls, options.eventsPerRequest, 'queue_log')
    const lastIds: string[] = []
    let turn = 0
    const started = performance.now()

    const worker = async () => {
      for (let body = pending.shift(); body !== undefined; body = pending.shift()) {
        const server = servers[turn++ % servers.length]!
        const response = await fetch(`${server.url}/api/v1/events/asterisk`, {
          method: 'POST',
          body,
        })
        const answer = (await response.json()) as { lastId?: string; error?: string }
        if (!response.ok || !answer.lastId) throw new Error(`ingest ${response.status}`)
        lastIds.push(answer.lastId)
      }
    }
    await Promise.all(Array.from({ length: options.concurrency }, worker))
    const last = maxStreamId(lastIds)
    await Promise.all(servers.map((server) => whole(server, last, calls.length)))
    const elapsedMs = performance.now() - started

    // The process that counts more of the queues dies; the other takes them over.
    const counting = await Promise.all(servers.map(countingOf))
    const victim = counting[0]!.events >= counting[1]!.events ? 0 : 1
    const survivor = servers[1 - victim]!
    const takenBefore = survivor.logged('partitions_taken').length
    const killedAt = performance.now()
    await servers[victim]!.kill()
    // The survivor lists the partitions as its own as soon as it holds their leases, and
    // its figures already count every event (the dead one's last sends): the takeover is
    // done when it has counted those queues again, which it logs.
    const taken = await takenAfter(survivor, takenBefore)
    await whole(survivor, last, calls.length, (c) => c.partitions.length === 16)
    const takeoverMs = performance.now() - killedAt

    return {
      processes: servers.length,
      eventsPerS: Math.round((eventCount(calls) / elapsedMs) * 1000),
      events: eventCount(calls),
      takeoverMs: Math.round(takeoverMs),
      recountMs: Number(taken.ms),
      recountEvents: Number(taken.events),
    } satisfies ClusterResult
  } finally {
    await Promise.all(servers.map((server) => server.stop()))
    await redis.drop(prefix)
  }
}

/** The first `partitions_taken` line past the `before` there were, that gained partitions. */
async function takenAfter(server: ServerProcess, before: number) {
  const deadline = Date.now() + 60_000
  while (Date.now() < deadline) {
    const taken = server.logged('partitions_taken').slice(before)
    const gained = taken.find((line) => Array.isArray(line.gained) && line.gained.length > 0)
    if (gained !== undefined) return gained
    await sleep(5)
  }
  throw new Error(`${server.url} took no partition over within 60 s`)
}

async function countingOf(server: ServerProcess): Promise<Counting> {
  const health = (await (await fetch(`${server.url}/healthz`)).json()) as { counting: Counting }
  return health.counting
}

/** Waits until the two share the partitions 8 and 8. */
async function settled(servers: ServerProcess[]): Promise<void> {
  const deadline = Date.now() + 30_000
  while (Date.now() < deadline) {
    const counting = await Promise.all(servers.map(countingOf))
    if (counting.every((c) => c.partitions.length === 8)) return
    await sleep(50)
  }
  throw new Error('the two processes did not share the partitions within 30 s')
}

/** Waits until the server's figures count every event up to `streamId`, all `calls` of them. */
async function whole(
  server: ServerProcess,
  streamId: string,
  calls: number,
  also: (counting: Counting) => boolean = () => true,
): Promise<void> {
  const deadline = Date.now() + 120_000
  while (Date.now() < deadline) {
    const response = await fetch(`${server.url}/api/v1/snapshot?window=60m`)
    const snapshot = (await response.json()) as Snapshot
    const done = compareStreamIds(snapshot.streamId, streamId) >= 0
    if (done && snapshot.total.offered === calls && also(await countingOf(server))) return
    await sleep(5)
  }
  throw new Error(`${server.url} did not count every event up to ${streamId} within 120 s`)
}

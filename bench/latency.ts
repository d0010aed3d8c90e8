/**
 * Event-to-glass latency: a steady stream of events posted to a server in a child process
 * while WebSocket clients in a third process watch the figures; each post's latency is
 * the time from sending it to each client's first message that includes it.
 */
import { ServerProcess } from '../test/helpers/server-process.ts'
import type { BenchRedis } from './bench-redis.ts'
import { cpuDuring } from './cpu.ts'
import { LoadRunner } from './load/load-runner.ts'
import type { SteadyResult } from './load/load-process.ts'

export interface LatencyOptions {
  clients: number
  eventsPerS: number
  seconds: number
  queues: number
  /** Server settings, e.g. CALLBOARD_PUSH_MS. */
  env?: Record<string, string>
  nodeArgs?: string[]
  loadNodeArgs?: string[]
}

export interface LatencyResult extends SteadyResult {
  clients: number
  /** Share of one core each process used during the run. */
  cpuPercent: Record<string, number>
  pushMs: string
}

export async function benchLatency(redis: BenchRedis, options: LatencyOptions) {
  const prefix = redis.prefix('latency')
  const server = await ServerProcess.start({
    redisUrl: redis.url,
    prefix,
    env: options.env,
    nodeArgs: options.nodeArgs,
  })
  const load = new LoadRunner(options.loadNodeArgs)

  try {
    // A rolling window: the bench's calls are minutes old, which "today" misses at 00:05.
    const wsUrl = `${server.wsUrl}/ws?window=60m`
    await load.send({ cmd: 'connect', wsUrl, count: options.clients })
    const pids: Record<string, number> = { server: server.pid, load: load.pid }
    if (redis.pid !== null) pids.redis = redis.pid
    const { result: steady, cpuPercent } = await cpuDuring(pids, () =>
      load.send<SteadyResult>({
        cmd: 'steady',
        url: server.url,
        eventsPerS: options.eventsPerS,
        seconds: options.seconds,
        queues: options.queues,
      }),
    )

    return {
      ...steady,
      cpuPercent,
      clients: options.clients,
      pushMs: options.env?.CALLBOARD_PUSH_MS ?? 'default',
    } satisfies LatencyResult
  } finally {
    await load.close()
    await server.stop()
    await redis.drop(prefix)
  }
}

/**
 * Fan-out: the server's memory per connected idle client, with 10,000 clients held by a
 * load process, and the time from posting one event until every client has it.
 */
import { ServerProcess } from '../test/helpers/server-process.ts'
import type { BenchRedis } from './bench-redis.ts'
import { LoadRunner } from './load/load-runner.ts'
import { round, sleep } from './stats.ts'

export interface FanoutOptions {
  clients: number
  /** Separate pushes timed, after one untimed. */
  pushes: number
}

export interface FanoutResult {
  clients: number
  /** Growth of the server's resident memory with the clients connected, per client. */
  bytesPerClient: number
  rssBeforeMb: number
  rssAfterMb: number
  /** POST to the last client's message including the event, per push, in ms. */
  pushAllMs: number[]
}

export async function benchFanout(redis: BenchRedis, options: FanoutOptions) {
  const prefix = redis.prefix('fanout')
  const server = await ServerProcess.start({ redisUrl: redis.url, prefix })
  const load = new LoadRunner()

  try {
    // One client first, so the memory of the first connection's code paths is not counted.
    await sleep(1000)
    await load.send({ cmd: 'connect', wsUrl: `${server.wsUrl}/ws`, count: 1 })
    await sleep(2000)
    const before = server.rssBytes()

    await load.send({ cmd: 'connect', wsUrl: `${server.wsUrl}/ws`, count: options.clients })
    await sleep(3000)
    const after = server.rssBytes()

    const pushAllMs: number[] = []
    for (let i = 0; i <= options.pushes; i++) {
      const { ms } = await load.send<{ ms: number }>({ cmd: 'pushOne', url: server.url })
      if (i > 0) pushAllMs.push(round(ms))
      await sleep(300)
    }

    return {
      clients: options.clients,
      bytesPerClient: Math.round((after - before) / options.clients),
      rssBeforeMb: round(before / 2 ** 20),
      rssAfterMb: round(after / 2 ** 20),
      pushAllMs,
    } satisfies FanoutResult
  } finally {
    await load.close()
    await server.stop()
    await redis.drop(prefix)
  }
}

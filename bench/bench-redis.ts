/**
 * The Redis the benchmark writes to (REDIS_URL, else 127.0.0.1:6379, else one started for
 * the run) and the key prefixes it writes under, each deleted when its section ends.
 */
import { randomUUID } from 'node:crypto'
import { existsSync } from 'node:fs'
import { Redis } from 'ioredis'
import { silentLogger } from '../server/logger.ts'
import { ensureRedis, type RedisHandle } from '../server/redis/launcher.ts'
import { deleteKeys } from '../test/helpers/redis-keys.ts'

export interface BenchRedis {
  url: string
  /** A client for the bench's own reads and writes. */
  client: Redis
  /** The Redis server's process id when it runs on this machine, for its CPU time. */
  pid: number | null
  /** A new prefix, remembered so that `cleanup` deletes its keys. */
  prefix(section: string): string
  /** Deletes the keys of one prefix now (a section that wrote a million events). */
  drop(prefix: string): Promise<void>
  cleanup(): Promise<void>
}

export async function openBenchRedis(): Promise<BenchRedis> {
  const handle: RedisHandle = await ensureRedis({
    url: process.env.REDIS_URL,
    dataDir: '.callboard/bench-redis',
    logger: silentLogger(),
  })
  const client = new Redis(handle.url)
  const prefixes = new Set<string>()
  const run = randomUUID().slice(0, 6)

  return {
    url: handle.url,
    client,
    pid: await localPid(client, handle.url),
    prefix(section) {
      const prefix = `bench-${run}-${section}`
      prefixes.add(prefix)
      return prefix
    },
    async drop(prefix) {
      await deleteKeys(client, prefix)
      prefixes.delete(prefix)
    },
    async cleanup() {
      for (const prefix of prefixes) await deleteKeys(client, prefix)
      client.disconnect()
      await handle.stop()
    },
  }
}

/** The Redis server's version, for the machine description. */
export async function redisVersion(client: Redis): Promise<string> {
  const info = await client.info('server')
  return /redis_version:(\S+)/.exec(info)?.[1] ?? 'unknown'
}

async function localPid(client: Redis, url: string): Promise<number | null> {
  const host = new URL(url).hostname
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(host)) return null

  const info = await client.info('server')
  const pid = Number(/process_id:(\d+)/.exec(info)?.[1])
  return Number.isInteger(pid) && existsSync(`/proc/${pid}`) ? pid : null
}

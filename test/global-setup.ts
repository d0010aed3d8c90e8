/**
 * Finds the Redis the tests use: REDIS_URL, else 127.0.0.1:6379, else a redis-server
 * started here for the run (as the app itself would on a newcomer's machine).
 */
import type { TestProject } from 'vitest/node'
import { silentLogger } from '../server/logger.ts'
import { ensureRedis, type RedisHandle } from '../server/redis/launcher.ts'

let redis: RedisHandle | undefined

export async function setup(project: TestProject): Promise<void> {
  redis = await ensureRedis({
    url: process.env.REDIS_URL,
    dataDir: '.callboard/test-redis',
    logger: silentLogger(),
  })
  project.provide('redisUrl', redis.url)
}

export async function teardown(): Promise<void> {
  await redis?.stop()
}

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string
  }
}

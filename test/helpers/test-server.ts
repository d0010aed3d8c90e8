/**
 * A real callboard server on a free port against the real Redis, with keys under a
 * prefix of its own so that test files running side by side never meet.
 */
import { randomUUID } from 'node:crypto'
import { Redis } from 'ioredis'
import { inject } from 'vitest'
import { loadConfig } from '../../server/config.ts'
import { silentLogger } from '../../server/logger.ts'
import { startServer, type RunningServer } from '../../server/server.ts'
import { keysFor, type Keys } from '../../server/store/keys.ts'
import { deleteKeys } from './redis-keys.ts'

export interface TestServer extends RunningServer {
  prefix: string
  keys: Keys
  redis: Redis
  /** Stops the server but keeps its Redis keys, for restart tests. */
  stop(): Promise<void>
  /** Stops the server and deletes its keys. */
  cleanup(): Promise<void>
}

export { deleteKeys }

export function redisUrl(): string {
  return inject('redisUrl')
}

export function newPrefix(): string {
  return `test-${randomUUID().slice(0, 8)}`
}

export async function startTestServer(
  env: Record<string, string> = {},
  prefix = newPrefix(),
): Promise<TestServer> {
  const config = loadConfig({
    PORT: '0',
    CALLBOARD_PREFIX: prefix,
    CALLBOARD_TZ: 'UTC',
    CALLBOARD_LOG_LEVEL: 'silent',
    ...env,
  })
  const server = await startServer(config, redisUrl(), silentLogger())
  const redis = new Redis(redisUrl())
  const keys = keysFor(prefix)

  return {
    ...server,
    prefix,
    keys,
    redis,
    stop: () => server.close(),
    async cleanup() {
      await server.close().catch(() => {})
      await deleteKeys(redis, prefix)
      redis.disconnect()
    },
  }
}

export async function post(url: string, body: string, contentType = 'text/plain') {
  const response = await fetch(url, {
    method: 'POST',
    body,
    headers: { 'content-type': contentType },
  })
  return { status: response.status, body: (await response.json()) as Record<string, unknown> }
}

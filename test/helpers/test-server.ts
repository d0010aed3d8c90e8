/**
 * A real callboard server on a free port against the real Redis, with keys under a
 * prefix of its own so that test files running side by side never meet. Access control is
 * off unless a test turns it on (`withAuth()`), with ADMIN_TOKEN as its admin.
 */
import { randomUUID } from 'node:crypto'
import { Redis } from 'ioredis'
import { afterEach, inject } from 'vitest'
import { loadConfig } from '../../server/config.ts'
import { silentLogger } from '../../server/logger.ts'
import { startServer, type RunningServer, type ServerOptions } from '../../server/server.ts'
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

/** The admin token of servers started `withAuth()`. */
export const ADMIN_TOKEN = 'test-admin-token-0123456789abcdef0123456789'

/** Settings that turn access control on, with ADMIN_TOKEN as the bootstrap admin. */
export function withAuth(env: Record<string, string> = {}): Record<string, string> {
  return { CALLBOARD_AUTH: 'on', CALLBOARD_ADMIN_TOKEN: ADMIN_TOKEN, ...env }
}

export function newPrefix(): string {
  return `test-${randomUUID().slice(0, 8)}`
}

export async function startTestServer(
  env: Record<string, string> = {},
  prefix = newPrefix(),
  options: ServerOptions = {},
): Promise<TestServer> {
  const config = loadConfig({
    PORT: '0',
    CALLBOARD_PREFIX: prefix,
    CALLBOARD_TZ: 'UTC',
    CALLBOARD_LOG_LEVEL: 'silent',
    CALLBOARD_AUTH: 'off',
    // Lets people who build the web app side by side each test their own build.
    ...(process.env.CALLBOARD_WEB_DIR ? { CALLBOARD_WEB_DIR: process.env.CALLBOARD_WEB_DIR } : {}),
    ...env,
  })
  const server = await startServer(config, redisUrl(), silentLogger(), options)
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

export async function post(url: string, body: string, contentType = 'text/plain', token = '') {
  const response = await fetch(url, {
    method: 'POST',
    body,
    headers: {
      'content-type': contentType,
      ...(token === '' ? {} : { authorization: `Bearer ${token}` }),
    },
  })
  return { status: response.status, body: (await response.json()) as Record<string, unknown> }
}

/**
 * A `startTestServer` whose servers are stopped, and their keys deleted, after each test.
 * Call it once at the top of a test file.
 */
export function serversPerTest(): typeof startTestServer {
  const started: TestServer[] = []
  afterEach(async () => {
    for (const server of started.splice(0)) await server.cleanup()
  })

  return async (...args) => {
    const server = await startTestServer(...args)
    started.push(server)
    return server
  }
}

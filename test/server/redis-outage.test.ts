import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Snapshot } from '../../shared/protocol.ts'
import { loadConfig } from '../../server/config.ts'
import { silentLogger } from '../../server/logger.ts'
import { startRedisServer } from '../../server/redis/launcher.ts'
import { startServer } from '../../server/server.ts'
import { post } from '../helpers/test-server.ts'

const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10)
/** Read routes that go to Redis for their answer (the live figures do not). */
const READS_FROM_REDIS = [
  '/api/v1/service-level/today',
  '/api/v1/incidents',
  `/api/v1/intervals?date=${yesterday}`,
  '/api/v1/calls?queue=Sales',
  '/api/v1/tokens',
  '/api/v1/settings/audit',
]

async function get(url: string, path: string) {
  const started = Date.now()
  const response = await fetch(`${url}${path}`)
  const ms = Date.now() - started
  return { path, status: response.status, retryAfter: response.headers.get('retry-after'), ms }
}

describe('while Redis is away', () => {
  it('answers 503 with Retry-After, stores nothing, accepts again once Redis is back', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'callboard-outage-'))
    let redis = await startRedisServer({ dataDir, logger: silentLogger() })
    const port = Number(new URL(redis.url).port)
    const config = loadConfig({
      PORT: '0',
      CALLBOARD_TZ: 'UTC',
      CALLBOARD_LOG_LEVEL: 'silent',
      CALLBOARD_AUTH: 'off',
    })
    const server = await startServer(config, redis.url, silentLogger())
    const line = (id: string) => `${Math.floor(Date.now() / 1000)}|${id}|Sales|NONE|ENTERQUEUE||1|1`

    try {
      expect((await post(`${server.url}/api/v1/events/asterisk`, line('a'))).status).toBe(200)
      await redis.stop()

      const response = await fetch(`${server.url}/api/v1/events/asterisk`, {
        method: 'POST',
        body: line('b'),
      })
      expect(response.status).toBe(503)
      expect(response.headers.get('retry-after')).toBe('2')
      expect((await fetch(`${server.url}/healthz`)).status).toBe(503)

      // Reads that need Redis answer as ingest does, from the one error handler, not 500.
      const answers = await Promise.all(READS_FROM_REDIS.map((path) => get(server.url, path)))
      console.log(
        'Redis stopped, reads answered: ' +
          answers.map((a) => `${a.path} ${a.status} in ${a.ms} ms`).join(', '),
      )
      for (const answer of answers) {
        expect(answer, answer.path).toMatchObject({ status: 503, retryAfter: '2' })
      }

      // Same data directory and port: the append-only file brings back what was acknowledged.
      redis = await startRedisServer({ dataDir, port, logger: silentLogger() })
      let status = 0
      for (let attempt = 0; attempt < 50 && status !== 200; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 100))
        status = (await post(`${server.url}/api/v1/events/asterisk`, line('c'))).status
      }
      expect(status).toBe(200)

      await new Promise((resolve) => setTimeout(resolve, 300))
      const snapResponse = await fetch(`${server.url}/api/v1/snapshot?window=today`)
      const snap = (await snapResponse.json()) as Snapshot
      expect(snap.queues.Sales?.waiting).toBe(2)
    } finally {
      await server.close()
      await redis.stop()
    }
  }, 30_000)
})

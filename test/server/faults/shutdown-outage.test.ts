import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { silentLogger } from '../../../server/logger.ts'
import { startRedisServer, type RedisHandle } from '../../../server/redis/launcher.ts'
import { ServerProcess } from '../../helpers/server-process.ts'
import { newPrefix } from '../../helpers/test-server.ts'

// An operator stops a server while its Redis is away (a restart of both, a failover): the
// server must still stop on SIGTERM, although reads it asked for wait on a reconnect that
// will not come.

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('a server stopped while Redis is away', () => {
  let redis: RedisHandle | undefined
  let server: ServerProcess | undefined

  afterAll(async () => {
    await server?.kill()
    await redis?.stop()
  })

  it('exits on SIGTERM within seconds', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'callboard-shutdown-'))
    redis = await startRedisServer({ dataDir, logger: silentLogger() })
    server = await ServerProcess.start({ redisUrl: redis.url, prefix: newPrefix() })

    await redis.stop()
    // Long enough for every connection to have lost Redis and be retrying.
    await sleep(1500)
    const started = performance.now()
    const stopped = server.stop().then(() => 'exited' as const)
    const outcome = await Promise.race([stopped, sleep(8000).then(() => 'still running')])
    const ms = Math.round(performance.now() - started)

    console.log(`shutdown with Redis away: ${outcome} after ${ms} ms`)
    expect(outcome).toBe('exited')
  }, 30_000)
})

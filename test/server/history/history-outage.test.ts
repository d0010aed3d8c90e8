import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Redis } from 'ioredis'
import { afterAll, describe, expect, it } from 'vitest'
import type { CanonicalEvent } from '../../../shared/events.ts'
import { Engine, ENGINE_DEFAULTS } from '../../../server/engine/engine.ts'
import { HistoryStore } from '../../../server/history/history-store.ts'
import { HistoryWriter } from '../../../server/history/history-writer.ts'
import { createLogger, silentLogger } from '../../../server/logger.ts'
import { startRedisServer, type RedisHandle } from '../../../server/redis/launcher.ts'
import { keysFor } from '../../../server/store/keys.ts'

// Issue 6: Redis stops while the history has quarters to write. Nothing is thrown at the
// engine, one warning is logged however many flushes fail, and once a redis-server of this
// test's own is back on its port the quarter is written with everything counted meanwhile.

const QUARTER = Date.parse('2026-11-30T10:00:00Z')

function answered(id: string, at: number, waitMs: number): CanonicalEvent[] {
  return [
    { type: 'call.enter', queue: 'Sales', callId: id, ts: at },
    { type: 'call.answer', queue: 'Sales', callId: id, ts: at + waitMs, waitMs, agent: '1001' },
  ]
}

describe('the history writer while Redis is away', () => {
  let redis: RedisHandle | undefined
  let client: Redis | undefined

  afterAll(async () => {
    client?.disconnect()
    await redis?.stop()
  })

  it('keeps the quarters, warns once, and writes them when Redis is back', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'callboard-history-outage-'))
    redis = await startRedisServer({ dataDir, logger: silentLogger() })
    const port = Number(new URL(redis.url).port)
    // As the server's own connection: fail at once while Redis is away, never queue.
    client = new Redis(redis.url, { enableOfflineQueue: false, maxRetriesPerRequest: 1 })
    client.on('error', () => {})
    await expect.poll(() => client!.status, { timeout: 10_000 }).toBe('ready')

    const logged: { event?: string }[] = []
    const logger = createLogger('info', { write: (line: string) => logged.push(JSON.parse(line)) })
    const keys = keysFor('outage')
    const engine = new Engine({
      ...ENGINE_DEFAULTS,
      time: { tz: 'UTC', dayStartMinutes: 0, intervalMinutes: 30 },
      retainMs: 26 * 3_600_000,
    })
    const now = () => QUARTER + 20 * 60_000
    const store = new HistoryStore(client, keys, 35)
    const writer = new HistoryWriter({ engine, store, completeFrom: 0, now, logger })
    const field = `${QUARTER}:Sales`
    const stored = async () =>
      JSON.parse((await client!.hget(keys.history('2026-11-30'), field)) ?? '{}') as Record<
        string,
        number
      >

    // 10:01, answered in 4 s: written at once.
    for (const event of answered('a', QUARTER + 60_000, 4000)) engine.apply(event)
    await writer.flush()
    expect((await stored()).answered).toBe(1)

    await redis.stop()
    // 10:02 and 10:03, answered in 6 s and 30 s, counted while Redis is away.
    for (const event of answered('b', QUARTER + 120_000, 6000)) engine.apply(event)
    for (const event of answered('c', QUARTER + 180_000, 30_000)) engine.apply(event)
    for (let attempt = 0; attempt < 3; attempt++) await writer.flush()
    const failed = logged.filter((line) => line.event === 'history_write_failed').length

    redis = await startRedisServer({ dataDir, port, logger: silentLogger() })
    await expect.poll(() => client!.status, { timeout: 10_000 }).toBe('ready')
    await writer.flush()
    const after = await stored()
    const resumed = logged.filter((line) => line.event === 'history_write_resumed').length

    console.log(
      `history writer, Redis away for 3 flushes: ${failed} warning, then ${resumed} ` +
        `resumed; stored ${after.answered} answered, ${after.answeredWithinThreshold} within T`,
    )
    expect(failed).toBe(1)
    expect(resumed).toBe(1)
    // 3 answered, 2 within 20 s (4 s and 6 s), waits 4 + 6 + 30 = 40 s.
    expect(after).toMatchObject({
      offered: 3,
      answered: 3,
      answeredWithinThreshold: 2,
      answerWaitMs: 40_000,
    })
    await writer.stop()
  }, 40_000)
})

import { Redis } from 'ioredis'
import { afterAll, describe, expect, it } from 'vitest'
import type { CanonicalEvent } from '../../../shared/events.ts'
import { EventStore } from '../../../server/store/event-store.ts'
import { keysFor } from '../../../server/store/keys.ts'
import { deleteKeys, newPrefix, redisUrl } from '../../helpers/test-server.ts'

describe('EventStore', () => {
  const redis = new Redis(redisUrl())
  const prefix = newPrefix()
  const keys = keysFor(prefix)
  const store = new EventStore(redis, keys, { retentionHours: 72 })

  afterAll(async () => {
    await deleteKeys(redis, prefix)
    redis.disconnect()
  })

  it('stores a request of 100,000 events in one atomic call', async () => {
    const now = Date.now()
    const events: CanonicalEvent[] = Array.from({ length: 100_000 }, (_, i) => ({
      type: 'call.enter',
      queue: 'Bulk',
      callId: `bulk-${i}`,
      ts: now - 60_000 + (i % 1000),
    }))

    const result = await store.append(events, now)
    expect(result).toMatchObject({ accepted: 100_000, duplicates: 0 })
    expect(await redis.xlen(keys.events)).toBe(100_000)

    const again = await store.append(events.slice(0, 10), now)
    expect(again).toMatchObject({ accepted: 0, duplicates: 10, lastId: null })
  }, 60_000)
})

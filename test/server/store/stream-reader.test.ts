import { Redis } from 'ioredis'
import { afterAll, describe, expect, it } from 'vitest'
import { silentLogger } from '../../../server/logger.ts'
import { EventStore, STORED_FORM } from '../../../server/store/event-store.ts'
import { keysFor } from '../../../server/store/keys.ts'
import { StreamReader, type StreamEntry } from '../../../server/store/stream-reader.ts'
import { deleteKeys, newPrefix, redisUrl } from '../../helpers/test-server.ts'

const TS = Date.UTC(2026, 11, 3, 9, 0, 0)

/** Reads the whole stream once, as a rebuild does, and gives back what was delivered. */
async function readAll(stream: string): Promise<StreamEntry[]> {
  const delivered: StreamEntry[] = []
  let reader: StreamReader | undefined
  await new Promise<void>((resolve) => {
    reader = new StreamReader({
      redis: new Redis(redisUrl()),
      stream,
      fromId: '0-0',
      logger: silentLogger(),
      onBatch(entries, caughtUp) {
        delivered.push(...entries)
        if (caughtUp) resolve()
      },
    })
    reader.start()
  })
  await reader?.stop()
  return delivered
}

describe('StreamReader', () => {
  const redis = new Redis(redisUrl())
  const prefix = newPrefix()
  const keys = keysFor(prefix)

  afterAll(async () => {
    await deleteKeys(redis, prefix)
    redis.disconnect()
  })

  it("takes the event store's entries as written and checks anyone else's", async () => {
    const store = new EventStore(redis, keys, { retentionHours: 72 })
    await store.append([{ type: 'call.enter', queue: 'Sales', callId: 'a', ts: TS }], TS)

    const enter = { type: 'call.enter', queue: 'Sales', callId: 'b', ts: TS + 1000 }
    // Another program's entries: one right, one with a field the schema does not know.
    const foreignGood = await redis.xadd(keys.events, '*', 'e', JSON.stringify(enter))
    const extra = JSON.stringify({ ...enter, callId: 'c', colour: 'red' })
    await redis.xadd(keys.events, '*', 'e', extra)
    // The same field, vouched for by the stored form's version: taken as it is.
    const vouched = await redis.xadd(keys.events, '*', 'e', extra, 'v', STORED_FORM)
    await redis.xadd(keys.events, '*', 'e', '{"type":', 'v', STORED_FORM)

    const delivered = await readAll(keys.events)

    expect(await redis.xrange(keys.events, '-', '+', 'COUNT', 1)).toMatchObject([
      [expect.any(String), ['e', expect.stringContaining('"callId":"a"'), 'v', STORED_FORM]],
    ])
    expect(
      delivered.map((entry) => entry.event).map((event) => 'callId' in event && event.callId),
    ).toEqual(['a', 'b', 'c'])
    expect(delivered[1]?.id).toBe(foreignGood)
    expect(delivered[2]).toEqual({ id: vouched, event: { ...enter, callId: 'c', colour: 'red' } })
  })
})

import { describe, expect, it } from 'vitest'
import { post, serversPerTest, type TestServer } from '../../helpers/test-server.ts'

// Issue 6: the stream is trimmed by age, as configured (CALLBOARD_RETENTION_HOURS). Redis
// trims whole stream nodes only (MINID with ~, up to 100 entries each), so up to one
// node's worth of entries past the limit may stay a while longer.

const HOUR_MS = 3_600_000
const NODE_ENTRIES = 100

const startServer = serversPerTest()

/** `count` entries written `hoursAgo` hours ago, as an old stream holds them. */
async function seed(server: TestServer, hoursAgo: number, count: number): Promise<void> {
  const from = Date.now() - hoursAgo * HOUR_MS
  const pipeline = server.redis.pipeline()
  for (let i = 0; i < count; i++) {
    const event = { type: 'call.enter', queue: 'Old', callId: `old-${i}`, ts: from + i }
    pipeline.xadd(server.keys.events, `${from + i}-0`, 'e', JSON.stringify(event))
  }
  await pipeline.exec()
}

function line(id: string): string {
  return `${Math.floor(Date.now() / 1000) - 10}|${id}|Sales|NONE|ENTERQUEUE||1|1`
}

/** Entries in the stream older than `hours`. */
async function olderThan(server: TestServer, hours: number): Promise<number> {
  const cut = Date.now() - hours * HOUR_MS
  return (await server.redis.xrange(server.keys.events, '-', `${cut}-0`)).length
}

describe('stream retention', () => {
  it('drops events older than CALLBOARD_RETENTION_HOURS at the next write', async () => {
    const server = await startServer({ CALLBOARD_RETENTION_HOURS: '26' })
    await seed(server, 30, 1000)
    await seed(server, 25, 50)
    const before = await server.redis.xlen(server.keys.events)

    expect((await post(`${server.url}/api/v1/events/asterisk`, line('a'))).status).toBe(200)
    const after = await server.redis.xlen(server.keys.events)
    const stale = await olderThan(server, 26)

    console.log(
      `retention 26 h: ${before} entries (1000 from 30 h ago, 50 from 25 h ago), one ` +
        `posted; ${after} left, ${stale} of them older than 26 h`,
    )
    expect(stale).toBeLessThan(NODE_ENTRIES)
    expect(after).toBe(stale + 50 + 1)
  })

  it('keeps them under the default of 72 hours', async () => {
    const server = await startServer()
    await seed(server, 30, 1000)

    expect((await post(`${server.url}/api/v1/events/asterisk`, line('b'))).status).toBe(200)
    expect(await server.redis.xlen(server.keys.events)).toBe(1001)
  })
})

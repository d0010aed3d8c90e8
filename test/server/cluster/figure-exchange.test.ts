import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { emptyCounters } from '../../../shared/figures.ts'
import {
  FigureSender,
  followSends,
  parsePublication,
  type Publication,
} from '../../../server/cluster/figure-exchange.ts'
import { partitionOf } from '../../../server/cluster/partition-leases.ts'
import type { QueueCopy } from '../../../server/engine/queue-state.ts'
import { silentLogger } from '../../../server/logger.ts'
import { keysFor } from '../../../server/store/keys.ts'
import type { StreamEntry } from '../../../server/store/stream-reader.ts'
import { deleteKeys } from '../../helpers/redis-keys.ts'
import { newPrefix, redisUrl } from '../../helpers/test-server.ts'

// The owner of a partition sends the buckets that changed; the script refuses a send whose
// lease has passed to another process, and nothing of a refused send reaches the others.

/** A queue name that falls in `partition`. */
function queueIn(partition: number): string {
  for (let i = 0; ; i++) if (partitionOf(`q${i}`) === partition) return `q${i}`
}

function copyOf(queue: string, minute: number, offered: number): QueueCopy {
  return {
    queue,
    minutes: [[minute, { ...emptyCounters(), offered }]],
    quarters: [],
    peaks: { quarters: [], lastIndex: null, level: 0 },
    live: { waiting: offered, oldestEnteredAt: null },
  }
}

describe('figure sends between processes', () => {
  const prefix = newPrefix()
  const keys = keysFor(prefix)
  let redis: Redis

  beforeAll(() => {
    redis = new Redis(redisUrl())
  })

  afterAll(async () => {
    await deleteKeys(redis, prefix)
    redis.disconnect()
  })

  async function sends(): Promise<Publication[]> {
    const entries = await redis.xrange(keys.figureChanges, '-', '+')
    return entries.map(([, fields]) => parsePublication(fields)!)
  }

  it('sends under its lease, is refused once another has it, waits while unheard', async () => {
    const mine = queueIn(3)
    const other = queueIn(5)
    await redis.hset(keys.leases, '3', 'a|7', '5', 'a|8')
    let leased = new Map<number, string | undefined>([
      [3, 'a|7'],
      [5, 'a|8'],
    ])
    let pending: QueueCopy[] = [copyOf(mine, 100, 1), copyOf(other, 100, 2)]
    const sender = new FigureSender({
      redis,
      keys,
      logger: silentLogger(),
      member: 'a',
      partitionOf,
      leased: () => leased,
      take: () => {
        const copies = pending
        pending = []
        return { streamId: '10-0', copies }
      },
    })

    sender.send()
    await sender.flush()
    const [first] = await sends()
    expect(first).toMatchObject({ member: 'a', streamId: '10-0', partitions: [3, 5] })
    expect(first?.copies.map((copy) => copy.queue)).toEqual([mine, other])

    // Partition 5 went to b (epoch 9): a's copy of it is dropped, the rest is sent.
    await redis.hset(keys.leases, '5', 'b|9')
    pending = [copyOf(mine, 101, 3), copyOf(other, 101, 4)]
    sender.send()
    await sender.flush()
    const second = (await sends())[1]
    expect(second?.partitions).toEqual([3])
    expect(second?.copies.map((copy) => copy.queue)).toEqual([mine])

    // While the heartbeat goes unheard nothing is sent; the copies wait, merged, for later.
    leased = new Map([[3, undefined]])
    pending = [copyOf(mine, 102, 5)]
    sender.send()
    await sender.flush()
    pending = [copyOf(mine, 103, 6)]
    sender.send()
    await sender.flush()
    expect(await sends()).toHaveLength(2)

    leased = new Map([[3, 'a|7']])
    sender.send()
    await sender.flush()
    const third = (await sends())[2]
    expect(third?.copies).toHaveLength(1)
    expect(third?.copies[0]?.minutes.map(([minute, c]) => [minute, c.offered])).toEqual([
      [102, 5],
      [103, 6],
    ])
    // Live state is the newer copy's.
    expect(third?.copies[0]?.live.waiting).toBe(6)
  })

  it('hands a follower the others’ sends, not its own, passing over foreign ones', async () => {
    await redis.xadd(keys.figureChanges, '*', 'f', '{"member":"x","streamId":"nonsense"}')
    await redis.xadd(keys.figureChanges, '*', 'f', JSON.stringify(sendOf('b')))
    const got: StreamEntry<Publication>[] = []
    const follower = followSends({
      redis: new Redis(redisUrl()),
      keys,
      logger: silentLogger(),
      fromId: '0-0',
      member: 'a',
      onSends: (entries) => void got.push(...entries),
    })
    follower.start()
    const deadline = Date.now() + 5000
    while (got.length < 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20))
    await follower.stop()

    // a's own three sends are passed over, the nonsense is logged and dropped: b's only.
    expect(got.map((entry) => entry.event.member)).toEqual(['b'])
    expect(got.at(-1)?.event.copies[0]?.queue).toBe('Sales')
  })
})

function sendOf(member: string): Publication {
  return { member, streamId: '20-0', partitions: [1], copies: [copyOf('Sales', 7, 1)] }
}

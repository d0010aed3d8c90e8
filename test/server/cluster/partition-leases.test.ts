import { randomUUID } from 'node:crypto'
import { createServer } from 'node:net'
import { Redis } from 'ioredis'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, inject } from 'vitest'
import {
  PARTITIONS,
  PartitionLeases,
  partitionOf,
  type Ownership,
  type PartitionLeasesOptions,
} from '../../../server/cluster/partition-leases.ts'
import { createLogger, silentLogger } from '../../../server/logger.ts'
import { keysFor, type Keys } from '../../../server/store/keys.ts'

// Members beat every 50 ms and count as dead after 300 ms unheard, so a takeover takes a
// fraction of a second. Tests that beat by hand use a TTL no test outlasts.
const FAST = { heartbeatMs: 50, memberTtlMs: 300 }
const MANUAL = { heartbeatMs: 50, memberTtlMs: 60_000 }
const ALL = Array.from({ length: PARTITIONS }, (_, p) => p)

let redis: Redis
let keys: Keys
let made: PartitionLeases[]

beforeAll(() => {
  redis = new Redis(inject('redisUrl'))
})
afterAll(async () => {
  await redis.quit()
})

beforeEach(() => {
  keys = keysFor(`test-leases-${randomUUID()}`)
  made = []
})
afterEach(async () => {
  await Promise.all(made.map((member) => member.stop()))
  await redis.del(keys.members, keys.leases, keys.leaseEpoch, keys.figureChanges)
})

function member(name: string, options: Partial<PartitionLeasesOptions> = {}): PartitionLeases {
  const leases = new PartitionLeases({
    redis,
    keys,
    logger: silentLogger(),
    member: name,
    ...options,
  })
  made.push(leases)
  return leases
}

/** Partition → "<member>|<epoch>" as Redis holds it now. */
async function leaseTable(): Promise<Map<number, string>> {
  const table = await redis.hgetall(keys.leases)
  return new Map(Object.entries(table).map(([p, lease]) => [Number(p), lease]))
}

function owned(leases: PartitionLeases): number[] {
  return [...leases.ownership.owned.keys()]
}

function range(from: number, to: number): number[] {
  return ALL.filter((p) => p >= from && p <= to)
}

/** No partition in two members' hands, read at one instant. */
function expectDisjoint(members: PartitionLeases[]): void {
  const all = members.flatMap(owned)
  expect(new Set(all).size).toBe(all.length)
}

async function waitFor(done: () => boolean | Promise<boolean>, ms = 5000): Promise<void> {
  const until = Date.now() + ms
  while (!(await done())) {
    if (Date.now() > until) throw new Error(`not so after ${ms} ms`)
    await sleep(10)
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

/** FNV-1a 32 written apart from the module, in BigInt, from the published constants. */
function fnv1a32(text: string): number {
  let hash = 2166136261n
  for (const byte of Buffer.from(text, 'utf8'))
    hash = ((hash ^ BigInt(byte)) * 16777619n) % 2n ** 32n
  return Number(hash)
}

describe('partitionOf', () => {
  it('is FNV-1a 32 of the UTF-8 bytes, as the published test vectors give it', () => {
    // With 2^32 partitions the mod changes nothing, so the raw hash shows through.
    expect(partitionOf('', 2 ** 32)).toBe(0x811c9dc5)
    expect(partitionOf('a', 2 ** 32)).toBe(0xe40c292c)
    expect(partitionOf('foobar', 2 ** 32)).toBe(0xbf9cf968)
  })

  it('gives each queue the same partition in [0, 16) every time', () => {
    // fnv1a32('support') = 0x3b3e18e8 and fnv1a32('报修热线') = 0x9b32fa00; mod 16 is the
    // last hex digit.
    expect(fnv1a32('support')).toBe(0x3b3e18e8)
    expect(fnv1a32('报修热线')).toBe(0x9b32fa00)
    expect(partitionOf('support')).toBe(8)
    expect(partitionOf('报修热线')).toBe(0)

    for (const queue of ['Sales', 'support', '报修热线', 'Billing', '', 'é', 'queue-42']) {
      const partition = partitionOf(queue)
      expect(partition).toBe(fnv1a32(queue) % 16)
      expect(partition).toBeGreaterThanOrEqual(0)
      expect(partition).toBeLessThan(16)
    }
  })
})

describe('partition leases', () => {
  it('gives a lone member all 16 partitions, each with an epoch of its own', async () => {
    const lines: Record<string, unknown>[] = []
    const logger = createLogger('info', { write: (line: string) => lines.push(JSON.parse(line)) })
    const only = member('a', { ...MANUAL, logger })

    const ownership = await only.start()

    // A fresh epoch counter: the claims, lowest partition first, take epochs 1 to 16.
    expect(ownership.members).toBe(1)
    expect([...ownership.owned]).toEqual(ALL.map((p) => [p, p + 1]))
    expect(await leaseTable()).toEqual(new Map(ALL.map((p) => [p, `a|${p + 1}`])))
    expect(lines).toContainEqual(
      expect.objectContaining({
        event: 'partitions_changed',
        component: 'cluster',
        member: 'a',
        owned: ALL,
        members: 1,
      }),
    )
  })

  it('hands partitions over beat by beat as members join, never to two at once', async () => {
    const [a, b, c] = [member('a', MANUAL), member('b', MANUAL), member('c', MANUAL)]
    const beats: [PartitionLeases, number[]][] = [
      // Alone, a's quota is 16: it claims 0–15 (epochs 1–16).
      [a, ALL],
      // b ranks 1 of 2 (quota 8), but a still holds everything.
      [b, []],
      // a ranks 0 of 2 (quota 8): it keeps 0–7 and gives back the highest, 8–15.
      [a, range(0, 7)],
      // b claims the freed 8–15, lowest first (epochs 17–24).
      [b, range(8, 15)],
      // c joins: 16 = 6 + 5 + 5 by name rank, but nothing is free yet.
      [c, []],
      [a, range(0, 5)],
      [b, range(8, 12)],
      // c takes 6, 7 from a and 13, 14, 15 from b (epochs 25–29).
      [c, [6, 7, 13, 14, 15]],
    ]

    for (const [leases, expected] of beats) {
      await leases.beat()
      expect(owned(leases)).toEqual(expected)
      expectDisjoint([a, b, c])
    }

    expect([...c.ownership.owned.values()]).toEqual([25, 26, 27, 28, 29])
    expect(c.ownership.members).toBe(3)
    const table = await leaseTable()
    for (const leases of [a, b, c]) {
      for (const p of owned(leases)) expect(table.get(p)).toBe(leases.token(p))
    }
    expect(table.size).toBe(16)
  })

  it('names the lease in token() and drops it once the partition is given back', async () => {
    const [a, b] = [member('a', MANUAL), member('b', MANUAL)]
    await a.beat()
    expect(a.token(8)).toBe('a|9')

    await b.beat()
    await a.beat()
    await b.beat()

    expect(a.token(8)).toBeUndefined()
    expect(a.owns(8)).toBe(false)
    expect(b.owns(8)).toBe(true)
    expect(b.token(8)).toBe((await leaseTable()).get(8))
    // b's claims of 8–15 followed a's 16, so 8 came with epoch 17.
    expect(b.token(8)).toBe('b|17')
  })

  it('tells onChange listeners of each new owned set, and only of a change', async () => {
    const [a, b] = [member('a', MANUAL), member('b', MANUAL)]
    const heard: Ownership[] = []
    const unsubscribe = a.onChange((ownership) => heard.push(ownership))

    await a.beat()
    await a.beat()
    expect(heard.map((o) => [...o.owned.keys()])).toEqual([ALL])

    await b.beat()
    await a.beat()
    expect(heard).toHaveLength(2)
    expect([...(heard[1]?.owned.keys() ?? [])]).toEqual(range(0, 7))
    expect(heard[1]?.members).toBe(2)

    unsubscribe()
    await b.beat()
    await a.stop()
    expect(heard).toHaveLength(2)
  })

  it('shares 16 partitions 6/5/5 by name among three members, never two on one', async () => {
    // Started out of name order: the rank, and so the bigger share, goes by name.
    const c = member('c', FAST)
    const a = member('a', FAST)
    const b = member('b', FAST)
    let overlaps = 0
    const sampler = setInterval(() => {
      const all = [a, b, c].flatMap(owned)
      if (new Set(all).size !== all.length) overlaps += 1
    }, 5)

    await c.start()
    await a.start()
    await b.start()
    await waitFor(() => [a, b, c].map((m) => owned(m).length).join() === '6,5,5')
    await sleep(200)
    clearInterval(sampler)

    expect([a, b, c].map((m) => owned(m).length)).toEqual([6, 5, 5])
    expect([a, b, c].flatMap(owned).sort((x, y) => x - y)).toEqual(ALL)
    // All three share one connection, so each member hears its beat's answer before a
    // later script can hand what it gave back to another.
    expect(overlaps).toBe(0)
    const table = await leaseTable()
    for (const leases of [a, b, c]) {
      for (const p of owned(leases)) expect(table.get(p)).toBe(leases.token(p))
    }
  })

  it('lets the others take a stopped member’s partitions at their next beat', async () => {
    const [a, b, c] = [member('a', FAST), member('b', FAST), member('c', FAST)]
    await Promise.all([a.start(), b.start(), c.start()])
    await waitFor(() => [a, b, c].map((m) => owned(m).length).join() === '6,5,5')

    const had = owned(c)
    await c.stop()
    expect(owned(c)).toEqual([])
    expect(had.map((p) => c.token(p))).toEqual(had.map(() => undefined))
    expect(await redis.zscore(keys.members, 'c')).toBeNull()
    expect([...(await leaseTable()).values()].some((lease) => lease.startsWith('c|'))).toBe(false)

    // 16 over two: 8 each; a was short of 2, b of 3, and 5 lay free.
    await a.beat()
    await b.beat()
    expect([owned(a).length, owned(b).length]).toEqual([8, 8])
    expect([...owned(a), ...owned(b)].sort((x, y) => x - y)).toEqual(ALL)
  })

  it('gives a silent member’s partitions to the others, each under a new epoch', async () => {
    const [a, b] = [member('a', FAST), member('b', FAST)]
    // c never starts its timer: it beats by hand until it has its 5, then falls silent.
    const c = member('c', FAST)
    await Promise.all([a.start(), b.start()])
    await waitFor(async () => (await c.beat()).owned.size === 5)
    const before = new Map(c.ownership.owned)
    const highest = Math.max(...before.values())

    await waitFor(() => owned(a).length === 8 && owned(b).length === 8)

    expect([...owned(a), ...owned(b)].sort((x, y) => x - y)).toEqual(ALL)
    const table = await leaseTable()
    const epochs = ALL.map((p) => Number(table.get(p)?.split('|')[1]))
    expect(new Set(epochs).size).toBe(16)
    for (const p of before.keys()) expect(epochs[p]).toBeGreaterThan(highest)

    // c's own last beat is older than the TTL, so it no longer claims to own anything.
    expect(c.ownership.owned.size).toBe(0)
    expect(c.token([...before.keys()][0] ?? 0)).toBeUndefined()
  })
})

describe('partition leases without Redis', () => {
  it('keeps its partitions through a short outage, then gives them all up', async () => {
    const lines: Record<string, unknown>[] = []
    const logger = createLogger('info', { write: (line: string) => lines.push(JSON.parse(line)) })
    const own = new Redis(inject('redisUrl'), { lazyConnect: true, maxRetriesPerRequest: 1 })
    const cut = member('a', { ...FAST, redis: own, logger })
    const other = member('b', FAST)
    const heard: Ownership[] = []
    cut.onChange((ownership) => heard.push(ownership))
    await Promise.all([cut.start(), other.start()])
    await waitFor(() => owned(cut).length === 8 && owned(other).length === 8)

    own.disconnect()
    const during = await cut.beat()

    // Within the TTL of its last good beat it still holds its 8.
    expect(during.owned.size).toBe(8)
    await waitFor(() => heard.at(-1)?.owned.size === 0)
    expect(cut.ownership.owned.size).toBe(0)
    expect(cut.token(0)).toBeUndefined()
    await waitFor(() => owned(other).length === 16)

    // One warning for the whole outage, though it failed every 50 ms.
    await sleep(200)
    const failed = lines.filter((line) => line.event === 'lease_heartbeat_failed')
    expect(failed).toHaveLength(1)
    expect(failed[0]).toMatchObject({ component: 'cluster', level: 'warn' })
    expect(lines.at(-1)).toMatchObject({ event: 'partitions_changed', owned: [], member: 'a' })
  })

  it('starts and stops within bounds when Redis never answers', async () => {
    const port = await closedPort()
    const away = new Redis({
      port,
      host: '127.0.0.1',
      lazyConnect: true,
      maxRetriesPerRequest: null,
      retryStrategy: () => 50,
    })
    away.on('error', () => {})
    const lonely = new PartitionLeases({ redis: away, keys, logger: silentLogger(), ...FAST })

    try {
      // The first beat waits one TTL at most, and comes back owning nothing.
      const first = await lonely.start()
      expect(first.owned.size).toBe(0)

      const stopping = Date.now()
      await lonely.stop()
      expect(Date.now() - stopping).toBeLessThan(1800)
    } finally {
      away.disconnect()
    }
  })

  it('refuses a TTL that is not longer than the heartbeat, and zero partitions', () => {
    const base = { redis, keys, logger: silentLogger() }
    expect(() => new PartitionLeases({ ...base, heartbeatMs: 500, memberTtlMs: 500 })).toThrow(
      /memberTtlMs \(500\) must be more than heartbeatMs \(500\)/,
    )
    expect(() => new PartitionLeases({ ...base, partitions: 0 })).toThrow(/partitions must be/)
  })

  it('names itself by host, pid and a random suffix when not told', () => {
    const leases = new PartitionLeases({ redis, keys, logger: silentLogger() })
    expect(leases.member).toMatch(new RegExp(`:${process.pid}:[0-9a-f]{6}$`))
  })
})

/** A port on which nothing listens: one the system just gave out and took back. */
async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  await new Promise((resolve) => server.close(resolve))
  if (address === null || typeof address === 'string') throw new Error('no port')
  return address.port
}

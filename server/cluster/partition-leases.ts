/**
 * Decides which server process computes which queues' figures. Queues hash into PARTITIONS
 * partitions, and each partition is leased to exactly one live process, so several
 * processes on one Redis count every queue once. Each process beats every second: one Lua
 * script records it as alive, works out its fair share from the live members, gives back
 * partitions beyond that share and claims free ones. A claim takes a new epoch, so a
 * lease's token ("<member>|<epoch>") tells one holder of a partition from the next.
 *
 * A process that cannot reach Redis for memberTtlMs gives up all its partitions on its own,
 * counted from when its last successful beat was sent, so it stops before the others (who
 * go by Redis's clock) can have taken them.
 */
import { randomBytes } from 'node:crypto'
import { hostname } from 'node:os'
import type { Redis } from 'ioredis'
import type { Logger } from '../logger.ts'
import type { Keys } from '../store/keys.ts'

export const PARTITIONS = 16

const FNV_OFFSET = 2166136261
const FNV_PRIME = 16777619
const utf8 = new TextEncoder()

/** FNV-1a 32-bit over the queue name's UTF-8 bytes, mod PARTITIONS. Same on every process. */
export function partitionOf(queue: string, partitions = PARTITIONS): number {
  let hash = FNV_OFFSET
  for (const byte of utf8.encode(queue)) hash = Math.imul(hash ^ byte, FNV_PRIME)

  return (hash >>> 0) % partitions
}

export interface Ownership {
  /** Partitions this process owns now, with the epoch of its lease on each. */
  owned: ReadonlyMap<number, number>
  /** Live members, this one included (the last count heard while Redis is away). */
  members: number
  /**
   * False when this process assumes it lost everything because no heartbeat has been
   * answered for memberTtlMs (Redis away, or hung): others may hold its partitions now.
   */
  heard: boolean
}

export interface PartitionLeasesOptions {
  /** A shared, non-blocking connection. */
  redis: Redis
  keys: Keys
  logger: Logger
  /** @default `${hostname}:${pid}:${6 random hex}` */
  member?: string
  /** @default PARTITIONS */
  partitions?: number
  /** @default 1000 */
  heartbeatMs?: number
  /** A member not heard from for this long is dead. @default 3000 */
  memberTtlMs?: number
}

export const LEASE_DEFAULTS = { partitions: PARTITIONS, heartbeatMs: 1000, memberTtlMs: 3000 }

/** stop() gives up on releasing after this long, so a shutdown never waits on a lost Redis. */
const STOP_WAIT_MS = 1000

// KEYS: members, leases, epoch. ARGV: member, ttl ms, partitions.
// Returns { live members, partition, epoch, partition, epoch, … } of what this member owns.
// Ranks go by the names' bytes, not by heartbeat (which changes every beat) nor Lua's `<`
// (strcoll, which follows the server's locale).
const BEAT_SCRIPT = `
local member, ttl, total = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
redis.call('ZADD', KEYS[1], now, member)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - ttl)

local function before(a, b)
  for i = 1, math.min(#a, #b) do
    local x, y = string.byte(a, i), string.byte(b, i)
    if x ~= y then return x < y end
  end
  return #a < #b
end
local live, alive, rank = redis.call('ZRANGE', KEYS[1], 0, -1), {}, 0
table.sort(live, before)
for i, name in ipairs(live) do
  alive[name] = true
  if name == member then rank = i - 1 end
end
local quota = math.floor(total / #live) + ((rank < total % #live) and 1 or 0)

local leases, mine, held = redis.call('HGETALL', KEYS[2]), {}, {}
for i = 1, #leases, 2 do
  local p = tonumber(leases[i])
  local owner, epoch = string.match(leases[i + 1], '^(.*)|(%d+)$')
  local inRange = p ~= nil and p >= 0 and p < total and p % 1 == 0
  if owner == member and inRange then
    mine[#mine + 1] = { p, tonumber(epoch) }
  elseif owner == member then
    redis.call('HDEL', KEYS[2], leases[i])
  elseif inRange and alive[owner] then
    held[p] = true
  end
end
table.sort(mine, function(a, b) return a[1] < b[1] end)

while #mine > quota do
  redis.call('HDEL', KEYS[2], tostring(mine[#mine][1]))
  mine[#mine] = nil
end
for _, lease in ipairs(mine) do held[lease[1]] = true end

for p = 0, total - 1 do
  if #mine >= quota then break end
  if not held[p] then
    local epoch = redis.call('INCR', KEYS[3])
    redis.call('HSET', KEYS[2], tostring(p), member .. '|' .. epoch)
    mine[#mine + 1] = { p, epoch }
  end
end

local out = { #live }
for _, lease in ipairs(mine) do
  out[#out + 1] = lease[1]
  out[#out + 1] = lease[2]
end
return out
`

// KEYS: members, leases. ARGV: member. Leaves leases another member has taken since.
const RELEASE_SCRIPT = `
local leases = redis.call('HGETALL', KEYS[2])
for i = 1, #leases, 2 do
  if string.match(leases[i + 1], '^(.*)|%d+$') == ARGV[1] then
    redis.call('HDEL', KEYS[2], leases[i])
  end
end
return redis.call('ZREM', KEYS[1], ARGV[1])
`

type RedisWithLeases = Redis & {
  callboardLeaseBeat(
    members: string,
    leases: string,
    epoch: string,
    member: string,
    ttlMs: number,
    partitions: number,
  ): Promise<number[]>
  callboardLeaseRelease(members: string, leases: string, member: string): Promise<number>
}

const NOTHING: ReadonlyMap<number, number> = new Map()

export class PartitionLeases {
  readonly member: string
  readonly #redis: RedisWithLeases
  readonly #keys: Keys
  readonly #logger: Logger
  readonly #partitions: number
  readonly #heartbeatMs: number
  readonly #ttlMs: number
  readonly #listeners = new Set<(ownership: Ownership) => void>()
  #ownership: Ownership = { owned: NOTHING, members: 0, heard: false }
  /** Date.now() past which the last successful beat no longer vouches for the leases. */
  #validUntil = 0
  #round: Promise<Ownership> = Promise.resolve(this.#ownership)
  #beating = 0
  #failing = false
  #stopped = false
  #timer: NodeJS.Timeout | undefined
  #expiry: NodeJS.Timeout | undefined

  constructor(options: PartitionLeasesOptions) {
    const settings = {
      partitions: options.partitions ?? LEASE_DEFAULTS.partitions,
      heartbeatMs: options.heartbeatMs ?? LEASE_DEFAULTS.heartbeatMs,
      memberTtlMs: options.memberTtlMs ?? LEASE_DEFAULTS.memberTtlMs,
    }
    validate(settings)

    this.member = options.member ?? defaultMember()
    this.#redis = options.redis as RedisWithLeases
    this.#keys = options.keys
    this.#logger = options.logger
    this.#partitions = settings.partitions
    this.#heartbeatMs = settings.heartbeatMs
    this.#ttlMs = settings.memberTtlMs

    this.#redis.defineCommand('callboardLeaseBeat', { numberOfKeys: 3, lua: BEAT_SCRIPT })
    this.#redis.defineCommand('callboardLeaseRelease', { numberOfKeys: 2, lua: RELEASE_SCRIPT })
  }

  /** First claim (awaited), then a heartbeat every heartbeatMs. */
  async start(): Promise<Ownership> {
    this.#stopped = false
    const first = await this.beat()

    clearInterval(this.#timer)
    // A beat still waiting on Redis is not doubled; the expiry timer covers a long wait.
    this.#timer = setInterval(() => {
      if (this.#beating === 0) void this.beat()
    }, this.#heartbeatMs).unref()
    return first
  }

  /** Stops the heartbeat, then releases this member's leases and membership (graceful stop). */
  async stop(): Promise<void> {
    this.#stopped = true
    clearInterval(this.#timer)
    clearTimeout(this.#expiry)

    // Sent after any beat in flight on the same connection, so Redis runs it last.
    const { members, leases } = this.#keys
    const release = this.#redis.callboardLeaseRelease(members, leases, this.member)
    try {
      await withTimeout(release, STOP_WAIT_MS)
    } catch (error) {
      this.#logger.warn({ event: 'lease_release_failed', component: 'cluster', err: error })
    }

    this.#validUntil = 0
    this.#update({ owned: NOTHING, members: this.#ownership.members, heard: false })
  }

  get ownership(): Ownership {
    if (Date.now() < this.#validUntil) return this.#ownership
    return { owned: NOTHING, members: this.#ownership.members, heard: false }
  }

  owns(partition: number): boolean {
    return this.ownership.owned.has(partition)
  }

  /** "<member>|<epoch>" of this member's lease on the partition, undefined when not owned. */
  token(partition: number): string | undefined {
    const epoch = this.ownership.owned.get(partition)
    return epoch === undefined ? undefined : `${this.member}|${epoch}`
  }

  /** Called after a heartbeat whose owned set (partitions or epochs) differs from the last. */
  onChange(listener: (ownership: Ownership) => void): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  /** Runs one heartbeat now (tests and shutdown use it); resolves to the ownership after it. */
  beat(): Promise<Ownership> {
    this.#beating += 1
    const next = this.#round.then(() => this.#beat()).finally(() => (this.#beating -= 1))

    // The chain goes on after a beat that threw, so one bad round does not stop them all.
    this.#round = next.catch(() => this.ownership)
    return next
  }

  async #beat(): Promise<Ownership> {
    if (this.#stopped) return this.ownership
    const sentAt = Date.now()

    let reply: number[]
    try {
      reply = await withTimeout(this.#send(), this.#ttlMs)
    } catch (error) {
      if (!this.#failing) {
        this.#logger.warn({ event: 'lease_heartbeat_failed', component: 'cluster', err: error })
      }
      this.#failing = true
      return this.ownership
    }
    if (this.#stopped) return this.ownership

    if (this.#failing) {
      this.#logger.info({ event: 'lease_heartbeat_recovered', component: 'cluster' })
    }
    this.#failing = false
    this.#vouch(sentAt + this.#ttlMs)
    this.#update(toOwnership(reply))
    return this.ownership
  }

  #send(): Promise<number[]> {
    const { members, leases, leaseEpoch } = this.#keys
    const args = [this.member, this.#ttlMs, this.#partitions] as const
    return this.#redis.callboardLeaseBeat(members, leases, leaseEpoch, ...args)
  }

  /** Holds the leases until `until`, when, unheard by Redis, this member counts as dead. */
  #vouch(until: number): void {
    this.#validUntil = until
    clearTimeout(this.#expiry)

    this.#expiry = setTimeout(() => {
      this.#update({ owned: NOTHING, members: this.#ownership.members, heard: false })
    }, until - Date.now()).unref()
  }

  #update(next: Ownership): void {
    const before = this.#ownership.owned
    this.#ownership = next
    if (sameLeases(before, next.owned)) return

    const owned = [...next.owned.keys()]
    const { member } = this
    const line = { event: 'partitions_changed', component: 'cluster', member, owned }
    this.#logger.info({ ...line, members: next.members })

    for (const listener of this.#listeners) {
      try {
        listener(next)
      } catch (error) {
        this.#logger.error({
          event: 'partitions_listener_failed',
          component: 'cluster',
          err: error,
        })
      }
    }
  }
}

function defaultMember(): string {
  return `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`
}

function toOwnership(reply: number[]): Ownership {
  const pairs: [number, number][] = []
  for (let i = 1; i + 1 < reply.length; i += 2) {
    pairs.push([Number(reply[i]), Number(reply[i + 1])])
  }

  return {
    owned: new Map(pairs.sort((a, b) => a[0] - b[0])),
    members: Number(reply[0]),
    heard: true,
  }
}

function sameLeases(a: ReadonlyMap<number, number>, b: ReadonlyMap<number, number>): boolean {
  if (a.size !== b.size) return false
  for (const [partition, epoch] of a) if (b.get(partition) !== epoch) return false
  return true
}

function validate(settings: typeof LEASE_DEFAULTS): void {
  const { partitions, heartbeatMs, memberTtlMs } = settings
  if (!Number.isInteger(partitions) || partitions < 1) {
    throw new Error(`partitions must be a whole number >= 1, got ${partitions}`)
  }
  if (!(heartbeatMs > 0)) throw new Error(`heartbeatMs must be > 0, got ${heartbeatMs}`)

  // With the TTL at or under the beat, members would die between their own beats.
  if (!(memberTtlMs > heartbeatMs)) {
    throw new Error(`memberTtlMs (${memberTtlMs}) must be more than heartbeatMs (${heartbeatMs})`)
  }
}

/** Rejects when the promise has not settled in `ms`; the timer never holds the process. */
function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer from Redis in ${ms} ms`)), ms).unref()
  })

  return Promise.race([promise, late]).finally(() => clearTimeout(timer))
}

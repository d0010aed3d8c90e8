/**
 * One server process's part in counting the queues when several run against one Redis.
 * Each counts the queues of the partitions it holds a lease on (partition-leases.ts) from
 * their events and sends what changed (figure-exchange.ts); it sets the other queues'
 * buckets from their owners' sends. Every process still reads every event: the settings,
 * the agent board and the rebuild at start need them, and reading is the cheap part.
 *
 * At start a process counts every queue while it rebuilds today from the stream, so its
 * figures are whole the moment it is ready; then it keeps counting only its own. When it
 * takes a partition over (its owner died, or the members changed), it counts that
 * partition's queues again from the stream, between two batches of the live reading, and
 * takes them into its engine whole.
 */
import type { Redis } from 'ioredis'
import type { Engine, QueueCounting } from '../engine/engine.ts'
import type { Logger } from '../logger.ts'
import type { LiveSettings } from '../settings/live-settings.ts'
import type { Keys } from '../store/keys.ts'
import type { StreamReader, StreamEntry } from '../store/stream-reader.ts'
import { compareIds } from '../store/stream-ids.ts'
import { followSends, FigureSender, lastSendId, type Publication } from './figure-exchange.ts'
import { PARTITIONS, partitionOf, type PartitionLeases } from './partition-leases.ts'
import { recountQueues, type Recounted } from './recount.ts'

/** How soon a failed takeover is tried again. */
const RETRY_MS = 1000
/**
 * How far past this server's clock a send's stream entry may be stamped. Entry ids are
 * Redis's clock, which may run a little ahead of ours; a minute is far more than that.
 */
const FUTURE_MS = 60_000

/** What the live figures lend the cluster. */
export interface ClusterHost {
  readonly engine: Engine
  readonly settings: LiveSettings
  /** Where the rebuild at start began reading. */
  readonly rebuiltFrom: number
  /** The last event stream entry applied. */
  readonly streamId: string
  now(): number
  /** An engine like the live one, counting by `counting`, for a count of its own. */
  makeEngine(counting: (queue: string) => QueueCounting): Engine
  /** Runs `task` between two batches of the stream reading: none is applied meanwhile. */
  between(task: () => Promise<void>): Promise<void>
  /** The figures moved. */
  changed(): void
}

export interface QueueClusterOptions {
  leases: PartitionLeases
  /** A shared connection: sends and the reads of a takeover. */
  redis: Redis
  /** A connection of its own for following the sends (XREAD BLOCK holds it). */
  followRedis: Redis
  keys: Keys
  logger: Logger
}

export class QueueCluster {
  readonly #options: QueueClusterOptions
  readonly #partitions = new Map<string, number>()
  /** Partitions the engine counts; all of them until the rebuild at start is done. */
  #counted: Set<number> | 'all' = 'all'
  /** Partitions this process holds the lease on, as its last answered heartbeat said. */
  #owned: ReadonlySet<number> = new Set()
  /** The epoch of each of those leases. */
  #epochs: ReadonlyMap<number, number> = new Map()
  /**
   * Partitions counted here though another process owns them, until that owner's first
   * send counted up to the entry given: this process's own count is the newer till then.
   */
  readonly #awaiting = new Map<number, string>()
  #host: ClusterHost | undefined
  #sender: FigureSender | undefined
  #follower: StreamReader<Publication> | undefined
  #followFrom = '0-0'
  /** Per queue counted elsewhere, the owner's stream entry its buckets were counted to. */
  readonly #copiedAt = new Map<string, string>()
  /** Per partition counted elsewhere, the entry its owner's last send was counted up to. */
  readonly #progress = new Map<number, string>()
  /** Sends counted before this entry are older than what the rebuild counted itself. */
  #copiedFloor = '0-0'
  #unsubscribe: () => void = () => {}
  #retry: NodeJS.Timeout | undefined
  #stopped = false
  /** The live members as last read, to tell their sends from stray entries. */
  #members = new Set<string>()
  #membersKnown = true
  readonly #toldRefused = new Set<string>()

  constructor(options: QueueClusterOptions) {
    this.#options = options
  }

  get member(): string {
    return this.#options.leases.member
  }

  /** Whether this process counts the queue from its events. */
  counts(queue: string): boolean {
    return this.#counted === 'all' || this.#counted.has(this.#partitionOf(queue))
  }

  /**
   * Whether this process writes a queue's history (null: all queues' calls waiting, which
   * the owner of partition 0 writes, from its own queues' events and the others' sends).
   */
  writesHistory(queue: string | null): boolean {
    if (this.#counted === 'all') return true
    // Counted, not owned: a partition awaiting its owner's first send is written by both,
    // with the same values, rather than by neither while the leases move.
    return this.#counted.has(queue === null ? 0 : this.#partitionOf(queue))
  }

  /**
   * The partitions this process owns, how many members there are, and the partitions it
   * counts for now though others own them (until their owners' first sends).
   */
  status(): { partitions: number[]; queues: string[]; members: number; alsoCounting: number[] } {
    const sorted = (partitions: Iterable<number>) => [...partitions].sort((a, b) => a - b)
    const names = this.#host?.engine.queueNames() ?? []
    return {
      partitions: sorted(this.#owned),
      queues: names.filter((queue) => this.#owned.has(this.#partitionOf(queue))),
      members: this.#options.leases.ownership.members,
      alsoCounting: sorted(this.#awaiting.keys()),
    }
  }

  /** Joins the members and takes its first leases; the rebuild starts after this. */
  async prepare(host: ClusterHost): Promise<void> {
    const { leases, redis, keys, logger } = this.#options
    this.#host = host
    this.#sender = new FigureSender({
      redis,
      keys,
      logger,
      member: leases.member,
      partitionOf: (queue) => this.#partitionOf(queue),
      leased: () => this.#leased(),
      take: () => ({
        streamId: host.streamId,
        copies: host.engine.takeCopies((queue) => this.#owned.has(this.#partitionOf(queue))),
      }),
    })
    // Before the rebuild reads: a send made while it reads is then not missed.
    this.#followFrom = await lastSendId(redis, keys)
    await leases.start()
  }

  /**
   * The rebuild has read the stream to its end: from now on, count our own, and the others'
   * only until their owners send (an owner that died before this process started never
   * does, so its queues stay counted here until the leases pass: no gap, no recount).
   */
  caughtUp(): void {
    const host = this.#required()
    this.#copiedFloor = host.streamId
    this.#owned = new Set(this.#options.leases.ownership.owned.keys())
    this.#epochs = new Map(this.#options.leases.ownership.owned)
    this.#counted = new Set(Array.from({ length: PARTITIONS }, (_, partition) => partition))
    for (const partition of this.#counted) {
      if (!this.#owned.has(partition)) this.#awaiting.set(partition, host.streamId)
    }
    this.#unsubscribe = this.#options.leases.onChange(() => void this.#reassign())

    this.#follower = followSends({
      redis: this.#options.followRedis,
      keys: this.#options.keys,
      logger: this.#options.logger,
      fromId: this.#followFrom,
      member: this.member,
      onSends: (sends) => this.#take(sends),
    })
    this.#follower.start()
  }

  /**
   * Sends what changed in our queues (after a batch, and on the clock's ticks). A process
   * alone sends nothing: what changes meanwhile stays marked, so the first send after
   * another process joins carries all of it.
   */
  sendChanges(): void {
    if (this.#counted === 'all' || this.#options.leases.ownership.members < 2) return
    this.#sender?.send()
  }

  async stop(): Promise<void> {
    this.#stopped = true
    clearTimeout(this.#retry)
    this.#unsubscribe()
    this.sendChanges()
    await this.#sender?.flush()
    await this.#options.leases.stop()
    await this.#follower?.stop()
  }

  /**
   * Follows the leases. A takeover that fails (Redis went away while it read) is tried again
   * shortly: until it succeeds, nobody counts those partitions.
   */
  #reassign(): Promise<void> {
    return this.#reassignNow().catch((error: unknown) => {
      this.#options.logger.error({
        event: 'partitions_take_failed',
        component: 'cluster',
        err: error,
      })
      if (this.#stopped) return
      this.#retry = setTimeout(() => void this.#reassign(), RETRY_MS)
      this.#retry.unref()
    })
  }

  /** Releases lost partitions' queues, counts gained ones again. */
  #reassignNow(): Promise<void> {
    const host = this.#required()
    return host.between(async () => {
      const ownership = this.#options.leases.ownership
      // Unheard is not lost: keep counting, and let the next answered heartbeat tell.
      if (!ownership.heard) return
      const counted = this.#counted === 'all' ? new Set<number>() : this.#counted
      const next = new Set(ownership.owned.keys())
      const lost = [...this.#owned].filter((partition) => !next.has(partition))
      const gained = [...next].filter((partition) => !this.#owned.has(partition))
      // Kept, but under a new lease: what was sent under the old one may have been refused.
      const renewed = [...next].filter((partition) => {
        const epoch = this.#epochs.get(partition)
        return epoch !== undefined && epoch !== ownership.owned.get(partition)
      })
      this.#epochs = new Map(ownership.owned)
      for (const partition of renewed) this.#resendWhole(partition)
      if (lost.length === 0 && gained.length === 0) {
        if (renewed.length > 0) this.#sender?.send(true)
        return
      }
      const started = performance.now()
      this.#owned = next

      // Counted on until the new owner sends what it counted past this entry, unless its
      // first send came before this heartbeat did.
      for (const partition of lost) {
        this.#awaiting.set(partition, host.streamId)
        const sent = this.#progress.get(partition)
        if (sent !== undefined && this.#coveredBy(partition, sent)) this.#release(partition)
      }
      for (const partition of gained) this.#awaiting.delete(partition)

      // Partitions counted here all along (awaiting their owner) need no recount.
      const missing = gained.filter((partition) => !counted.has(partition))
      const recounted = missing.length > 0 ? await this.#recount(new Set(missing)) : null
      if (recounted !== null) host.engine.adopt(recounted.engine, recounted.engine.queueNames())
      for (const partition of missing) counted.add(partition)
      this.#counted = counted

      this.#options.logger.info({
        event: gained.length > 0 ? 'partitions_taken' : 'partitions_handed_over',
        component: 'cluster',
        member: this.member,
        gained,
        lost,
        recounted: missing,
        events: recounted?.events ?? 0,
        ms: Math.round(performance.now() - started),
      })
      this.#sender?.send(true)
      host.changed()
    })
  }

  /**
   * The other processes' sends, from live members only, and none counted past what the
   * stream can hold yet: a stray entry written into the stream by hand (or by a process
   * of another version) must not freeze a queue at figures nobody counted.
   */
  #take(sends: StreamEntry<Publication>[]): void | Promise<void> {
    const unknown = sends.some(({ event }) => !this.#members.has(event.member))
    if (!unknown) return this.#takeFrom(sends)
    return this.#refreshMembers().then(() => this.#takeFrom(sends))
  }

  /** Reads the members again; while Redis does not answer, sends are taken unchecked. */
  async #refreshMembers(): Promise<void> {
    try {
      const names = await this.#options.redis.zrange(this.#options.keys.members, 0, -1)
      this.#members = new Set(names)
      this.#membersKnown = true
    } catch {
      this.#membersKnown = false
    }
  }

  #takeFrom(sends: StreamEntry<Publication>[]): void {
    const host = this.#required()
    let moved = false

    for (const { id, event: send } of sends) {
      if (send.member === this.member) continue
      const refused = this.#refusal(send)
      if (refused !== null) {
        this.#refused(send.member, refused, id)
        continue
      }
      for (const partition of send.partitions) {
        const before = this.#progress.get(partition)
        if (before === undefined || compareIds(send.streamId, before) > 0) {
          this.#progress.set(partition, send.streamId)
          moved = true
        }
        if (this.#coveredBy(partition, send.streamId)) this.#release(partition)
      }
      const copies = send.copies.filter((copy) => {
        if (this.counts(copy.queue)) return false
        const at = this.#copiedAt.get(copy.queue) ?? this.#copiedFloor
        if (compareIds(send.streamId, at) < 0) return false
        this.#copiedAt.set(copy.queue, send.streamId)
        return true
      })
      if (copies.length === 0) continue
      host.engine.restoreCopies(copies)
      moved = true
    }
    if (moved) host.changed()
  }

  /** Why a send is not taken, or null. */
  #refusal(send: Publication): string | null {
    if (this.#membersKnown && !this.#members.has(send.member)) return 'not a live member'
    const ms = Number(send.streamId.split('-')[0])
    if (ms > Date.now() + FUTURE_MS) return 'counted up to an entry from the future'
    return null
  }

  /** Logs a refused send once per member and reason, not once per send. */
  #refused(member: string, reason: string, id: string): void {
    const key = `${member}\u0000${reason}`
    if (this.#toldRefused.has(key)) return
    this.#toldRefused.add(key)
    this.#options.logger.warn({
      event: 'figures_send_refused',
      component: 'cluster',
      member,
      reason,
      id,
    })
  }

  /** Whether an owner's send counted up to `streamId` may take over a partition counted here. */
  #coveredBy(partition: number, streamId: string): boolean {
    const needed = this.#awaiting.get(partition)
    if (needed === undefined || this.#owned.has(partition)) return false
    return compareIds(streamId, needed) >= 0
  }

  /** The next send carries every queue of the partition whole. */
  #resendWhole(partition: number): void {
    const host = this.#required()
    for (const queue of host.engine.queueNames()) {
      if (this.#partitionOf(queue) === partition) host.engine.resendWhole(queue)
    }
  }

  /** Stops counting a partition another process owns: its sends set those queues now. */
  #release(partition: number): void {
    const host = this.#required()
    for (const queue of host.engine.queueNames()) {
      if (this.#partitionOf(queue) !== partition) continue
      host.engine.release(queue)
      this.#copiedAt.set(queue, '0-0')
    }
    this.#awaiting.delete(partition)
    if (this.#counted !== 'all') this.#counted.delete(partition)
  }

  /**
   * The stream entry up to which the figures of `queues` (all when omitted) count every
   * event: this process's own up to `applied`, the others' up to their owners' last send.
   */
  completeTo(applied: string, queues?: readonly string[]): string {
    if (this.#counted === 'all') return applied
    const counted = this.#counted
    const partitions =
      queues === undefined
        ? Array.from({ length: PARTITIONS }, (_, partition) => partition)
        : queues.map((queue) => this.#partitionOf(queue))

    // One queue counted elsewhere is exactly at its owner's last send; several, at the least.
    let upTo: string | null = null
    for (const partition of partitions) {
      const at = counted.has(partition)
        ? applied
        : (this.#progress.get(partition) ?? this.#copiedFloor)
      if (upTo === null || compareIds(at, upTo) < 0) upTo = at
    }
    return upTo ?? applied
  }

  /**
   * The partitions counted here that are still ours, and the lease on each: undefined while
   * the heartbeat goes unheard. One the heartbeat said is lost is left out (its copies are
   * dropped), though this engine counts it until the takeover is done.
   */
  #leased(): Map<number, string | undefined> {
    const out = new Map<number, string | undefined>()
    if (this.#counted === 'all') return out
    const { leases } = this.#options
    const heard = leases.ownership.heard

    for (const partition of this.#owned) {
      const token = leases.token(partition)
      if (token !== undefined || !heard) out.set(partition, token)
    }
    return out
  }

  #recount(partitions: ReadonlySet<number>): Promise<Recounted> {
    const { redis, keys } = this.#options
    const wants = (queue: string) => partitions.has(this.#partitionOf(queue))
    return recountQueues(this.#required(), redis, keys.events, wants)
  }

  #partitionOf(queue: string): number {
    let partition = this.#partitions.get(queue)
    if (partition === undefined) {
      partition = partitionOf(queue)
      this.#partitions.set(queue, partition)
    }
    return partition
  }

  #required(): ClusterHost {
    if (this.#host === undefined) throw new Error('QueueCluster used before prepare()')
    return this.#host
  }
}

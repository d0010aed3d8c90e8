/**
 * The live agent board of one server process: the agent engine fed from the same stream
 * reads as the queue engine, the agent configuration read from Redis, and the board read
 * out of both.
 *
 * At start, and whenever the roster's aliases or the wrap-up reasons change, the engine is
 * rebuilt: the stream is read again from 12 hours before the start of today (an agent who
 * logged in last night is still logged in) up to the last entry applied, while newer
 * entries wait, then those are applied. So the engine's state always follows from the
 * stream and the configuration of now, the same on every process and after a restart.
 */
import type { Redis } from 'ioredis'
import type { AgentSnapshot } from '../../shared/agent-protocol.ts'
import { dayLabel, dayStartOf, type WindowName } from '../../shared/windows.ts'
import {
  aliasTable,
  EMPTY_AGENT_CONFIG,
  engineKey,
  type AgentConfig,
} from '../agents/agent-config.ts'
import { AgentEngine } from '../agents/agent-engine.ts'
import {
  filterAgentBoard,
  readAgentBoard,
  type AgentBoard,
  type AgentFilter,
} from '../agents/agent-snapshot.ts'
import { memberResolver } from '../agents/member-names.ts'
import { shiftDate } from '../agents/schedule-import.ts'
import type { Config } from '../config.ts'
import type { Logger } from '../logger.ts'
import { AgentConfigStore, readConfigEvent } from '../store/agent-config-store.ts'
import type { Keys } from '../store/keys.ts'
import { StreamReader, type StreamEntry } from '../store/stream-reader.ts'
import { compareIds } from '../store/stream-ids.ts'

const HOUR_MS = 3600 * 1000
/** How far before the start of today a rebuild reads, for agents logged in since then. */
const LOOKBACK_MS = 12 * HOUR_MS
/** State history and 15-minute buckets are kept this long, as for queues. */
const RETAIN_MS = 26 * HOUR_MS
/** How far ahead of this server's clock a source's clock may run (as for queues). */
const MAX_CLOCK_SKEW_MS = 5000

export interface AgentLiveOptions {
  config: Config
  /** A connection that nothing blocks; rebuilds read the stream on copies of it. */
  redis: Redis
  keys: Keys
  logger: Logger
  now?: () => number
}

export class AgentLive {
  readonly store: AgentConfigStore
  readonly #options: AgentLiveOptions
  readonly #now: () => number
  readonly #listeners = new Set<() => void>()
  readonly #boards = new Map<WindowName, { key: string; board: AgentBoard }>()
  readonly #versionWaiters = new Set<() => void>()
  #engine: AgentEngine
  #config: AgentConfig = EMPTY_AGENT_CONFIG
  /** Entries that arrive while the engine is being rebuilt; null when it is not. */
  #pending: StreamEntry[] | null = []
  #appliedId = '0-0'
  #work: Promise<void> = Promise.resolve()
  #refreshQueued = false
  #configDay = ''
  #stopped = false
  /** Ends the replay in progress, if any. */
  #endReplay: (() => void) | null = null
  #ready: Promise<void>
  #markReady: () => void = () => {}

  constructor(options: AgentLiveOptions) {
    this.#options = options
    this.#now = options.now ?? Date.now
    this.store = new AgentConfigStore(options.redis, options.keys, options.logger)
    this.#engine = this.#newEngine(EMPTY_AGENT_CONFIG)
    this.#ready = new Promise((resolve) => (this.#markReady = resolve))
  }

  /** Resolves once the configuration is loaded and the engine has read up to the start id. */
  get ready(): Promise<void> {
    return this.#ready
  }

  get config(): AgentConfig {
    return this.#config
  }

  /** The engine now; a rebuild replaces it, so read it anew for each answer. */
  get engine(): AgentEngine {
    return this.#engine
  }

  /**
   * Starts the first build. `fromId` is where the queue engine's reader starts: this
   * reads what lies before it, and gets the rest from that reader through apply().
   */
  start(fromId: string): void {
    this.#appliedId = fromId
    this.#enqueue(async () => {
      await this.#rebuild(await this.#load())
      this.#markReady()
    })
  }

  async stop(): Promise<void> {
    this.#stopped = true
    this.#endReplay?.()
    await this.#work
  }

  onChange(listener: () => void): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  /** Entries of the stream, in order, as the queue engine gets them. */
  apply(entries: readonly StreamEntry[]): void {
    if (this.#pending !== null) {
      this.#pending.push(...entries)
      return
    }

    for (const entry of entries) {
      const control = readConfigEvent(entry.event)
      if (control === null) this.#engine.apply(entry.event)
      else if (control.version > this.#config.version) this.#requestRefresh()
      this.#appliedId = entry.id
    }
  }

  /** The wall clock moves: credits time in state, and reloads schedules on a new day. */
  advance(now: number): void {
    if (this.#pending !== null) return
    this.#engine.advance(now)

    if (this.#today(now) !== this.#configDay) {
      this.#configDay = this.#today(now)
      this.#requestRefresh()
    }
  }

  snapshot(window: WindowName, filter: AgentFilter, streamId: string): AgentSnapshot {
    const now = Math.max(this.#now(), this.#engine.clock)
    // Every screen of one window in the same second shares one reading of all agents.
    const key = `${streamId}|${this.#config.version}|${Math.floor(now / 1000)}`
    let cached = this.#boards.get(window)

    if (cached?.key !== key) {
      const time = this.#options.config.time
      cached = { key, board: readAgentBoard(this.#engine, this.#config, time, window, now) }
      this.#boards.set(window, cached)
    }
    return filterAgentBoard(cached.board, this.#config, filter, streamId)
  }

  /** Agent ids a schedule may name: on the roster, or seen in the events. */
  isKnownAgent(id: string): boolean {
    return this.#engine.get(id) !== undefined || this.#config.roster.some((a) => a.id === id)
  }

  /** Maps a member name or alias to an agent id, with the roster of now. */
  resolve(name: string): string {
    return memberResolver(aliasTable(this.#config.roster))(name)
  }

  /**
   * Resolves once this process holds configuration `version` or newer, so that the answer
   * to a change shows that change on this server's board; false after `timeoutMs`.
   */
  async waitForVersion(version: number, timeoutMs = 5000): Promise<boolean> {
    const deadline = this.#now() + timeoutMs

    while (this.#config.version < version) {
      if (this.#now() >= deadline || this.#stopped) return false
      await new Promise<void>((resolve) => {
        this.#versionWaiters.add(resolve)
        setTimeout(resolve, 100)
      })
    }
    return true
  }

  #requestRefresh(): void {
    if (this.#refreshQueued) return
    this.#refreshQueued = true

    this.#enqueue(async () => {
      this.#refreshQueued = false
      const config = await this.#load()
      if (engineKey(config) !== engineKey(this.#config)) return this.#rebuild(config)

      this.#install(config)
    })
  }

  async #rebuild(config: AgentConfig): Promise<void> {
    this.#pending ??= []
    const started = this.#now()
    const engine = this.#newEngine(config)
    const from = dayStartOf(started, this.#options.config.time) - LOOKBACK_MS

    await this.#replay(engine, `${from}-0`, this.#appliedId)
    this.#engine = engine
    const pending = this.#pending
    this.#pending = null
    this.apply(pending)
    this.#install(config)

    this.#options.logger.info({
      event: 'agents_rebuilt',
      component: 'agents',
      ms: this.#now() - started,
      agents: engine.ids().length,
      version: config.version,
    })
  }

  /** Applies the stream's entries after `fromId` up to `untilId` (inclusive) to `engine`. */
  #replay(engine: AgentEngine, fromId: string, untilId: string): Promise<void> {
    if (compareIds(fromId, untilId) >= 0) return Promise.resolve()

    return new Promise((resolve) => {
      let done = false
      const finish = () => {
        if (done) return
        done = true
        this.#endReplay = null
        void reader.stop().then(resolve)
      }
      const redis = this.#options.redis.duplicate()
      // The reader reports its own failures; this only keeps ioredis from printing them.
      redis.on('error', () => {})
      const reader = new StreamReader({
        redis,
        stream: this.#options.keys.events,
        fromId,
        logger: this.#options.logger,
        onBatch: (entries, caughtUp) => {
          if (done) return
          for (const { id, event } of entries) {
            if (compareIds(id, untilId) > 0) return finish()
            if (readConfigEvent(event) === null) engine.apply(event)
          }
          if (caughtUp) finish()
        },
      })
      this.#endReplay = finish
      reader.start()
    })
  }

  #install(config: AgentConfig): void {
    this.#config = config
    this.#configDay = this.#today(this.#now())
    this.#boards.clear()
    for (const wake of this.#versionWaiters) wake()
    this.#versionWaiters.clear()
    for (const listener of this.#listeners) listener()
  }

  /** The configuration with the schedules of yesterday, today and tomorrow; retried. */
  async #load(): Promise<AgentConfig> {
    const today = this.#today(this.#now())
    const days = [shiftDate(today, -1), today, shiftDate(today, 1)]

    for (let failures = 0; ; failures++) {
      try {
        return await this.store.load(days)
      } catch (error) {
        if (this.#stopped) throw error
        if (failures === 0) {
          const fields = { event: 'agent_config_load_failed', component: 'agents', err: error }
          this.#options.logger.warn(fields)
        }
        await sleep(Math.min(5000, 100 * 2 ** failures))
      }
    }
  }

  #newEngine(config: AgentConfig): AgentEngine {
    return new AgentEngine({
      resolve: memberResolver(aliasTable(config.roster)),
      wrapReasons: config.rules.wrapReasons,
      retainMs: RETAIN_MS,
      clockLimit: () => this.#now() + MAX_CLOCK_SKEW_MS,
    })
  }

  #today(now: number): string {
    const time = this.#options.config.time
    return dayLabel(dayStartOf(now, time), time)
  }

  #enqueue(task: () => Promise<void>): void {
    this.#work = this.#work.then(task).catch((error: unknown) => {
      if (this.#stopped) return
      this.#options.logger.error({ event: 'agents_update_failed', component: 'agents', err: error })
    })
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

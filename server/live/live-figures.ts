/**
 * The live side of the engine: rebuilds today's state from the Redis stream at start,
 * then follows the stream and the wall clock, and tells listeners when figures moved.
 */
import type { Redis } from 'ioredis'
import type { AgentSnapshot } from '../../shared/agent-protocol.ts'
import type { Snapshot } from '../../shared/protocol.ts'
import { dayStartOf, MINUTE_MS, QUARTER_MS, type WindowName } from '../../shared/windows.ts'
import type { Config } from '../config.ts'
import type { ClusterHost, QueueCluster } from '../cluster/queue-cluster.ts'
import { Engine, ENGINE_DEFAULTS, type QueueCounting } from '../engine/engine.ts'
import { takeSnapshot } from '../engine/snapshot.ts'
import type { AgentFilter } from '../agents/agent-snapshot.ts'
import type { Logger } from '../logger.ts'
import type { Keys } from '../store/keys.ts'
import { StreamReader, type StreamEntry } from '../store/stream-reader.ts'
import { LiveSettings } from '../settings/live-settings.ts'
import type { AgentLive } from './agent-live.ts'

/** The widest rolling window; the rebuild reads at least this far back. */
const LONGEST_ROLLING_MS = 60 * MINUTE_MS
/** Clock ticks drive SL misses of waiting calls and window boundaries. */
const TICK_MS = 250
/** How far ahead of this server's clock a source's clock may run before it is ignored. */
const MAX_CLOCK_SKEW_MS = 5000

export interface LiveFiguresOptions {
  config: Config
  /** A connection of its own: XREAD BLOCK holds it. */
  redis: Redis
  keys: Keys
  logger: Logger
  now?: () => number
  /** The agent board, fed from the same reads of the stream. */
  agents?: AgentLive
  /** The settings counted and judged by; without it, the environment's for good. */
  settings?: LiveSettings
  /** With several processes: which queues this one counts, and the others' figures. */
  cluster?: QueueCluster
}

export class LiveFigures {
  readonly engine: Engine
  readonly settings: LiveSettings
  readonly #reader: StreamReader
  readonly #options: LiveFiguresOptions
  readonly #listeners = new Set<() => void>()
  readonly #entryListeners = new Set<(entries: readonly StreamEntry[]) => void>()
  readonly #now: () => number
  #caughtUp = false
  /** Call events counted by the rebuild at start, which counts every queue. */
  #countedAtReady = 0
  #appliedId = '0-0'
  #ready: Promise<void>
  #markReady: () => void = () => {}
  #ticker: NodeJS.Timeout | undefined
  /** Batches, and the cluster's takeovers between them, one after the other. */
  #chain: Promise<void> = Promise.resolve()
  #prepared: Promise<void> = Promise.resolve()
  readonly #fromId: string
  /** Events stamped from here on were all read again at start; earlier ones were not. */
  readonly rebuiltFrom: number

  constructor(options: LiveFiguresOptions) {
    const { config, logger } = options
    this.#options = options
    this.#now = options.now ?? Date.now
    this.settings = options.settings ?? new LiveSettings({ config })
    this.engine = this.#makeEngine((queue) => this.settings.queue(queue))
    const cluster = options.cluster
    if (cluster !== undefined) this.engine.owns = (queue) => cluster.counts(queue)
    this.#ready = new Promise((resolve) => (this.#markReady = resolve))

    const now = this.#now()
    // From a quarter's start, so that every quarter rebuilt holds all of its events.
    const from = Math.min(dayStartOf(now, config.time), now - LONGEST_ROLLING_MS)
    this.rebuiltFrom = from - (from % QUARTER_MS)
    this.#fromId = `${this.rebuiltFrom}-0`
    // The rebuild counts each event by the settings of its moment, as a running process did.
    this.settings.rewindTo(this.rebuiltFrom)
    this.settings.onChange(() => this.#settingsChanged())
    this.#settingsChanged()
    options.agents?.onChange(() => this.#emit())
    this.#reader = new StreamReader({
      redis: options.redis,
      stream: options.keys.events,
      fromId: this.#fromId,
      logger,
      onBatch: (entries, caughtUp) => this.#onBatch(entries, caughtUp),
    })
  }

  /** Resolves once the stream has been read to its end the first time. */
  get ready(): Promise<void> {
    return Promise.all([this.#prepared, this.#ready, this.#options.agents?.ready]).then(() => {})
  }

  get agents(): AgentLive | undefined {
    return this.#options.agents
  }

  /**
   * Whether the stream can be read now: false while Redis is away, and while it hangs with
   * the connection open (no reply for STALL_MS), so that nothing is taken as current.
   */
  get connected(): boolean {
    return this.#options.redis.status === 'ready' && !this.#reader.stalled
  }

  /** This server's clock (tests move it), never behind the engine's. */
  now(): number {
    return Math.max(this.#now(), this.engine.clock)
  }

  /**
   * Which queue partitions (and the known queues in them) this process owns, among how many
   * processes, which others it counts until their owners send, and how many call events it
   * has counted since it was ready; null without a cluster (it counts them all).
   */
  counting(): {
    partitions: number[]
    queues: string[]
    members: number
    alsoCounting: number[]
    events: number
  } | null {
    const cluster = this.#options.cluster
    if (cluster === undefined || !this.#caughtUp) return null
    return { ...cluster.status(), events: this.engine.eventsCounted - this.#countedAtReady }
  }

  /** Id of the last stream entry applied, "0-0" before the first. */
  get streamId(): string {
    return this.#appliedId
  }

  start(): void {
    const started = this.#now()
    this.#options.agents?.start(this.#fromId)
    const cluster = this.#options.cluster
    if (cluster === undefined) this.#reader.start()
    else this.#prepared = cluster.prepare(this.#clusterHost()).then(() => this.#reader.start())
    this.#ticker = setInterval(() => this.#tick(), TICK_MS)

    void this.#ready.then(() =>
      this.#options.logger.info({
        event: 'engine_rebuilt',
        component: 'engine',
        ms: this.#now() - started,
        streamId: this.#appliedId,
      }),
    )
  }

  async stop(): Promise<void> {
    clearInterval(this.#ticker)
    await this.#prepared.catch(() => {})
    await this.#reader.stop()
    await this.#options.cluster?.stop()
    await this.#options.agents?.stop()
  }

  /** Hands every batch read from the stream to `listener`, e.g. to follow control events. */
  onEntries(listener: (entries: readonly StreamEntry[]) => void): () => void {
    this.#entryListeners.add(listener)
    return () => this.#entryListeners.delete(listener)
  }

  onChange(listener: () => void): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  snapshot(window: WindowName, queues?: readonly string[]): Snapshot {
    const cluster = this.#options.cluster
    return takeSnapshot(this.engine, {
      window,
      now: Math.max(this.#now(), this.engine.clock),
      streamId: cluster?.completeTo(this.#appliedId, queues) ?? this.#appliedId,
      target: this.settings.rule(null).target,
      rules: (queue) => this.settings.rule(queue),
      queues,
    })
  }

  /** The agent board of a window; null when this server keeps no agent board. */
  agentSnapshot(window: WindowName, filter: AgentFilter): AgentSnapshot | null {
    return this.#options.agents?.snapshot(window, filter, this.#appliedId) ?? null
  }

  #onBatch(entries: StreamEntry[], caughtUp: boolean): Promise<void> {
    return this.#inTurn(() => this.#applyBatch(entries, caughtUp))
  }

  /** Runs `task` after everything queued before it; a failure is the caller's alone. */
  #inTurn(task: () => void | Promise<void>): Promise<void> {
    const run = this.#chain.then(task)
    this.#chain = run.catch(() => {})
    return run
  }

  #applyBatch(entries: StreamEntry[], caughtUp: boolean): void | Promise<void> {
    // A settings change in the batch may have to be read first; the entries after it wait.
    const applying = this.settings.applyEntries(entries, (event) => this.engine.apply(event))
    if (applying !== null) return applying.then(() => this.#afterBatch(entries, caughtUp))
    this.#afterBatch(entries, caughtUp)
  }

  #afterBatch(entries: StreamEntry[], caughtUp: boolean): void {
    this.#options.agents?.apply(entries)
    if (entries.length > 0) for (const listener of this.#entryListeners) listener(entries)

    const last = entries.at(-1)
    if (last !== undefined) this.#appliedId = last.id
    if (caughtUp && !this.#caughtUp) this.#finishRebuild()
    if (this.#caughtUp && entries.length > 0) {
      this.#options.cluster?.sendChanges()
      this.#emit()
    }
  }

  #finishRebuild(): void {
    this.settings.finishRebuild()
    this.#caughtUp = true
    this.engine.advance(this.#now())
    this.#options.cluster?.caughtUp()
    this.#countedAtReady = this.engine.eventsCounted
    this.#markReady()
  }

  #tick(): void {
    // During the rebuild the clock follows event times; the wall clock takes over after.
    if (!this.#caughtUp) return
    this.engine.advance(this.#now())
    this.#options.agents?.advance(this.#now())
    this.#options.cluster?.sendChanges()
  }

  /** New settings count from the next event; the wall's windows move with the clock. */
  #settingsChanged(): void {
    this.engine.settings.time = this.settings.time
    this.engine.settings.thresholdSeconds = this.settings.current.defaults.thresholdSeconds
    this.engine.countingChanged()
    if (this.#caughtUp) this.#emit()
  }

  #makeEngine(counting: (queue: string) => QueueCounting): Engine {
    const { config } = this.#options
    return new Engine({
      ...ENGINE_DEFAULTS,
      // The live engine's follows the settings from here on (#settingsChanged).
      thresholdSeconds: this.settings.current.defaults.thresholdSeconds,
      time: this.settings.time,
      maxWaitMs: config.maxWaitMinutes * MINUTE_MS,
      retainMs: 26 * 3600 * 1000,
      clockLimit: () => this.#now() + MAX_CLOCK_SKEW_MS,
      queueCounting: counting,
      figureRule: (queue) => this.settings.rule(queue),
    })
  }

  /** What the cluster may use of this: a view, not the whole object. */
  #clusterHost(): ClusterHost {
    // The getter below runs with the view as `this`.
    const live = this
    return {
      engine: this.engine,
      settings: this.settings,
      rebuiltFrom: this.rebuiltFrom,
      get streamId() {
        return live.#appliedId
      },
      now: () => this.now(),
      makeEngine: (counting) => this.#makeEngine(counting),
      between: (task) => this.#inTurn(task),
      changed: () => this.#emit(),
    }
  }

  #emit(): void {
    for (const listener of this.#listeners) listener()
  }
}

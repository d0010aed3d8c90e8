/**
 * The settings one server process counts and judges by. They start from the environment
 * (CALLBOARD_THRESHOLD, CALLBOARD_TARGET, CALLBOARD_TZ, CALLBOARD_DAY_START,
 * CALLBOARD_INTERVAL), are replaced by what an admin stored, and follow the event stream:
 * a settings control event installs the version it announces before the next event is
 * applied, so every process changes at the same place among the events. A rebuild starts
 * from the version in force when its first event was stamped.
 */
import type { CanonicalEvent } from '../../shared/events.ts'
import type { FigureRule } from '../../shared/figures.ts'
import {
  dayStartMinutes,
  formatDayStart,
  queueSettingsOf,
  type QueueSettings,
  type Settings,
  type StoredSettings,
} from '../../shared/settings.ts'
import type { TimeSettings } from '../../shared/windows.ts'
import type { Config } from '../config.ts'
import type { Logger } from '../logger.ts'
import type { StreamEntry } from '../store/stream-reader.ts'
import { SETTINGS_EVENT, type SettingsStore, type SettingsVersion } from './settings-store.ts'

/** The settings the environment gives, before anyone stored any (version 0). */
export function settingsFromConfig(config: Config): Settings {
  return {
    site: {
      tz: config.time.tz,
      dayStart: formatDayStart(config.time.dayStartMinutes),
      intervalMinutes: config.time.intervalMinutes,
    },
    defaults: {
      thresholdSeconds: config.thresholdSeconds,
      targetPercent: Math.round(config.target * 10_000) / 100,
      variant: 'V2',
      shortAbandonSeconds: 0,
    },
    queues: {},
  }
}

/** The version a settings control event announces, or null for any other event. */
export function readSettingsEvent(event: CanonicalEvent): number | null {
  if (event.type !== 'other' || event.name !== SETTINGS_EVENT) return null
  const version = Number(event.data[1])
  return Number.isInteger(version) ? version : null
}

export interface LiveSettingsOptions {
  /** Its `time` is kept equal to the settings' site clock, for every reader of it. */
  config: Config
  /** None: the environment's settings, for good (a LiveFigures made without settings). */
  store?: SettingsStore
  logger?: Logger
  /** Every version stored when the process started. */
  versions?: readonly SettingsVersion[]
}

export class LiveSettings {
  readonly #options: LiveSettingsOptions
  readonly #base: StoredSettings
  readonly #versions = new Map<number, SettingsVersion>()
  readonly #listeners = new Set<() => void>()
  #current: StoredSettings
  #time: TimeSettings

  constructor(options: LiveSettingsOptions) {
    this.#options = options
    this.#base = { version: 0, ...settingsFromConfig(options.config) }
    this.#current = this.#base
    this.#time = options.config.time
    for (const stored of options.versions ?? []) this.#versions.set(stored.version, stored)

    const latest = [...this.#versions.values()].at(-1)
    if (latest !== undefined) this.#install({ version: latest.version, ...latest.settings })
  }

  /** Loads every stored version, and starts from the latest. */
  static async load(config: Config, store: SettingsStore, logger: Logger): Promise<LiveSettings> {
    return new LiveSettings({ config, store, logger, versions: await store.versions() })
  }

  /**
   * A LiveSettings of its own for a replay of the stream (the calls behind a figure, a
   * recount of the history), holding the versions this one knows: rewound with `rewindTo`
   * and fed with `applyEntries`, it installs each version where the rebuild did. Its site
   * clock is its own, so the replay never moves this process's; it logs nothing, as a
   * replay may run every few seconds.
   */
  replica(): LiveSettings {
    return new LiveSettings({
      config: { ...this.#options.config, time: this.#time },
      store: this.#options.store,
      versions: [...this.#versions.values()],
    })
  }

  /** A replica holding the version in force at `ts`, to replay the stream from there. */
  replayFrom(ts: number): LiveSettings {
    const replay = this.replica()
    replay.rewindTo(ts)
    return replay
  }

  get current(): StoredSettings {
    return this.#current
  }

  get time(): TimeSettings {
    return this.#time
  }

  queue(name: string): QueueSettings {
    return queueSettingsOf(this.#current, name)
  }

  /** How a queue's figures are judged; the default row's for all queues together. */
  rule(name: string | null): FigureRule {
    const row = name === null ? this.#current.defaults : this.queue(name)
    return {
      thresholdSeconds: row.thresholdSeconds,
      target: row.targetPercent / 100,
      variant: row.variant,
      shortAbandonSeconds: row.shortAbandonSeconds,
    }
  }

  onChange(listener: () => void): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  /** Resolves true once this process holds `version` or newer; false after `timeoutMs`. */
  async waitForVersion(version: number, timeoutMs = 5000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs
    while (this.#current.version < version) {
      if (Date.now() >= deadline) return false
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    return true
  }

  /**
   * The rebuild has read the stream to its end: every version stored before this process
   * started must be in force by now. Guards against a version whose control event lies
   * just before the rebuild's start although it was saved just after it (clocks apart).
   */
  finishRebuild(): void {
    const latest = [...this.#versions.values()].at(-1)
    if (latest === undefined || latest.version <= this.#current.version) return
    this.#install({ version: latest.version, ...latest.settings })
  }

  /** Installs the version in force at `ts`. */
  rewindTo(ts: number): void {
    this.#install(this.versionAt(ts))
  }

  /**
   * The version in force at `ts`, by the time each was saved: the last one saved by then,
   * else the environment's. Versions are few (one per save), so a pass over them is cheap.
   */
  versionAt(ts: number): StoredSettings {
    let found: SettingsVersion | undefined
    for (const stored of this.#versions.values()) if (stored.savedAt <= ts) found = stored
    if (found === undefined) return this.#base
    if (found.version === this.#current.version) return this.#current
    return { version: found.version, ...found.settings }
  }

  /**
   * Applies stream entries in order, installing each settings version where its control
   * event stands. Returns null when all were applied at once, or a promise when a version
   * had to be read from Redis first (the rest are applied after it).
   */
  applyEntries(
    entries: readonly StreamEntry[],
    apply: (event: CanonicalEvent) => void,
  ): Promise<void> | null {
    for (let index = 0; index < entries.length; index++) {
      const event = (entries[index] as StreamEntry).event
      const version = readSettingsEvent(event)

      if (version === null) apply(event)
      else if (version > this.#current.version) {
        const known = this.#versions.get(version)
        if (known !== undefined) {
          this.#install({ version, ...known.settings })
          continue
        }
        const rest = entries.slice(index + 1)
        return this.#fetch(version).then(() => this.applyEntries(rest, apply) ?? undefined)
      }
    }
    return null
  }

  /** Reads a version written after start, retrying while Redis is away. */
  async #fetch(version: number): Promise<void> {
    const store = this.#options.store
    if (store === undefined) return

    for (let failures = 0; ; failures++) {
      try {
        const stored = await store.version(version)
        if (stored !== null) {
          this.#versions.set(version, stored)
          this.#install({ version, ...stored.settings })
        }
        return
      } catch (error) {
        if (failures === 0) {
          const fields = { event: 'settings_load_failed', component: 'settings', err: error }
          this.#options.logger?.warn(fields)
        }
        await new Promise((resolve) => setTimeout(resolve, Math.min(5000, 100 * 2 ** failures)))
      }
    }
  }

  #install(next: StoredSettings): void {
    if (next.version !== this.#current.version) {
      const fields = { event: 'settings_applied', component: 'settings', version: next.version }
      this.#options.logger?.info(fields)
    }
    this.#current = next
    const site = next.site
    const minutes = dayStartMinutes(site.dayStart)
    const time = this.#time

    // A new object only when the clock changed: day lookups are cached per object.
    if (
      time.tz !== site.tz ||
      time.dayStartMinutes !== minutes ||
      time.intervalMinutes !== site.intervalMinutes
    ) {
      this.#time = { tz: site.tz, dayStartMinutes: minutes, intervalMinutes: site.intervalMinutes }
      this.#options.config.time = this.#time
    }
    for (const listener of this.#listeners) listener()
  }
}

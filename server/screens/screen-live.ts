/**
 * This process's copy of the screens, reloaded from Redis whenever the event stream brings
 * a screens control event newer than the copy, and the TVs' sockets that follow them.
 */
import type { Screen } from '../../shared/screens.ts'
import type { Logger } from '../logger.ts'
import type { StreamEntry } from '../store/stream-reader.ts'
import { readScreensEvent, type ScreenSet, type ScreenStore } from './screen-store.ts'

type Listener = (screen: Screen | null) => void

/** How long a change may take to show here before the writer is answered anyway. */
const WAIT_LIMIT_MS = 5000

export class ScreenLive {
  readonly store: ScreenStore
  readonly #logger: Logger
  #set: ScreenSet = { version: 0, screens: new Map() }
  /** The newest version announced in the stream; a reload runs until the copy reaches it. */
  #wanted = 0
  #loading: Promise<void> | null = null
  #stopped = false
  readonly #listeners = new Map<string, Set<Listener>>()
  readonly #waiters = new Set<{ version: number; wake: () => void }>()

  constructor(store: ScreenStore, logger: Logger) {
    this.store = store
    this.#logger = logger
  }

  /** Loads the screens; call before the stream is read, whose events then keep them current. */
  async start(): Promise<void> {
    this.#apply(await this.store.load())
  }

  /** Ends a reload waiting for Redis; the server is closing. */
  stop(): void {
    this.#stopped = true
  }

  get version(): number {
    return this.#set.version
  }

  list(): Screen[] {
    return [...this.#set.screens.values()].sort((a, b) => a.name.localeCompare(b.name))
  }

  get(name: string): Screen | null {
    return this.#set.screens.get(name) ?? null
  }

  /** Calls `listener` with the screen whenever it changes (null once removed). */
  follow(name: string, listener: Listener): () => void {
    const listeners = this.#listeners.get(name) ?? new Set()
    listeners.add(listener)
    this.#listeners.set(name, listeners)

    return () => {
      listeners.delete(listener)
      if (listeners.size === 0) this.#listeners.delete(name)
    }
  }

  /** Takes the stream's entries; a screens event newer than the copy reloads it. */
  onEntries(entries: readonly StreamEntry[]): void {
    for (const { event } of entries) {
      const version = readScreensEvent(event)
      if (version !== null && version > this.#wanted) this.#wanted = version
    }
    if (this.#wanted > this.#set.version) this.#reload()
  }

  /** Resolves once this process holds `version` of the screens, or after a few seconds. */
  waitForVersion(version: number): Promise<void> {
    if (this.#set.version >= version) return Promise.resolve()

    return new Promise((resolve) => {
      const waiter = { version, wake: () => resolve() }
      this.#waiters.add(waiter)
      setTimeout(() => {
        this.#waiters.delete(waiter)
        resolve()
      }, WAIT_LIMIT_MS).unref()
    })
  }

  // One load at a time; events arriving meanwhile raise #wanted, and the loop loads again.
  #reload(): void {
    if (this.#loading !== null) return

    this.#loading = (async () => {
      let failures = 0
      while (this.#wanted > this.#set.version && !this.#stopped) {
        const target = this.#wanted
        try {
          const loaded = await this.store.load()
          this.#apply(loaded)
          // Our events are appended after the version is raised, so a load begun after one
          // was read sees at least its version; one that does not came from elsewhere.
          if (loaded.version < target && this.#wanted === target) this.#wanted = loaded.version
        } catch (error) {
          // Once per outage: the stream reader already reports Redis going away.
          if (failures++ === 0) {
            this.#logger.warn({ event: 'screens_reload_failed', component: 'screens', err: error })
          }
          await new Promise((resolve) => setTimeout(resolve, 1000).unref())
        }
      }
    })().finally(() => (this.#loading = null))
  }

  #apply(next: ScreenSet): void {
    if (next.version < this.#set.version) return

    const before = this.#set.screens
    this.#set = next
    if (next.version > this.#wanted) this.#wanted = next.version

    for (const [name, listeners] of this.#listeners) {
      const screen = next.screens.get(name) ?? null
      if (screen?.revision === before.get(name)?.revision) continue
      for (const listener of listeners) listener(screen)
    }
    for (const waiter of this.#waiters) {
      if (waiter.version > next.version) continue
      this.#waiters.delete(waiter)
      waiter.wake()
    }
  }
}

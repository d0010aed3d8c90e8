/**
 * This process's copy of the open incidents, kept in step with every other process through
 * the changes stream in Redis: each change there carries the incident whole, and a copy
 * is replaced only by a newer revision. A change of the rules set through the API comes
 * the same way. We follow a stream rather than pub/sub for the reason the agent
 * configuration does: a process cut off from Redis for a while resumes from its cursor
 * and misses nothing.
 */
import type { Redis } from 'ioredis'
import { once } from 'node:events'
import type { Incident } from '../../shared/alerts.ts'
import { watchSilence } from '../redis/silence-watch.ts'
import type { Logger } from '../logger.ts'
import { decodeIncident } from './incident-codec.ts'
import type { IncidentStore } from './incident-store.ts'

/** Revisions of resolved incidents remembered, to ignore late copies of them. */
const RESOLVED_MEMORY = 2000

type XReadReply = [key: string, entries: [id: string, fields: string[]][]][] | null

export class IncidentFeed {
  readonly #store: IncidentStore
  /** A connection of its own: XREAD BLOCK holds it. */
  readonly #redis: Redis
  readonly #logger: Logger
  readonly #byKey = new Map<string, Incident>()
  readonly #resolved = new Map<string, number>()
  readonly #listeners = new Set<() => void>()
  readonly #ruleListeners = new Set<() => void>()
  #lastId = '0-0'
  #running = false
  #loop: Promise<void> = Promise.resolve()

  #unwatch: () => void = () => {}

  constructor(store: IncidentStore, redis: Redis, logger: Logger) {
    this.#store = store
    this.#redis = redis
    this.#logger = logger
  }

  /** Open incidents by key. */
  get open(): ReadonlyMap<string, Incident> {
    return this.#byKey
  }

  /** Loads the open incidents, then follows the changes made from then on. */
  async start(): Promise<void> {
    // A connection that does not queue commands while connecting would refuse the first.
    if (this.#redis.status !== 'ready') await once(this.#redis, 'ready')
    await this.#reload()
    this.#running = true
    this.#loop = this.#follow()
    this.#unwatch = watchSilence(this.#redis, 'incidents', this.#logger)
  }

  async stop(): Promise<void> {
    this.#running = false
    this.#unwatch()
    this.#redis.disconnect()
    await this.#loop
  }

  onChange(listener: () => void): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  /** Called when the rules stored through the API change, here or in another process. */
  onRules(listener: () => void): () => void {
    this.#ruleListeners.add(listener)
    return () => this.#ruleListeners.delete(listener)
  }

  /** Takes a copy of an incident (from a script's answer or the stream) if it is newer. */
  apply(incident: Incident): void {
    if (!this.#take(incident)) return
    for (const listener of this.#listeners) listener()
  }

  #take(incident: Incident): boolean {
    const current = this.#findById(incident.id)
    if (current !== undefined && current.rev >= incident.rev) return false
    if ((this.#resolved.get(incident.id) ?? -1) >= incident.rev) return false

    if (incident.state === 'open') {
      this.#byKey.set(incident.key, incident)
      return true
    }

    if (this.#byKey.get(incident.key)?.id === incident.id) this.#byKey.delete(incident.key)
    this.#resolved.set(incident.id, incident.rev)
    if (this.#resolved.size > RESOLVED_MEMORY) {
      const oldest = this.#resolved.keys().next().value
      if (oldest !== undefined) this.#resolved.delete(oldest)
    }
    return current !== undefined
  }

  #findById(id: string): Incident | undefined {
    for (const incident of this.#byKey.values()) if (incident.id === id) return incident
    return undefined
  }

  // The cursor is taken before the incidents are read, so a change made in between is
  // read again from the stream rather than lost; a copy read twice changes nothing.
  async #reload(): Promise<void> {
    const newest = await this.#redis.xrevrange(this.#store.keys.changes, '+', '-', 'COUNT', 1)
    this.#lastId = newest[0]?.[0] ?? '0-0'

    const open = await this.#store.openIncidents()
    const ids = new Set(open.map((incident) => incident.id))
    for (const [key, incident] of this.#byKey) if (!ids.has(incident.id)) this.#byKey.delete(key)
    for (const incident of open) this.#byKey.set(incident.key, incident)
    for (const listener of this.#listeners) listener()
  }

  async #follow(): Promise<void> {
    let failures = 0

    while (this.#running) {
      try {
        if (failures > 0) await this.#reload()
        const reply = (await this.#redis.xread(
          'COUNT',
          500,
          'BLOCK',
          1000,
          'STREAMS',
          this.#store.keys.changes,
          this.#lastId,
        )) as XReadReply
        if (failures > 0) {
          this.#logger.info({ event: 'incident_feed_resumed', component: 'alerts' })
        }
        failures = 0
        this.#read(reply?.[0]?.[1] ?? [])
      } catch (error) {
        if (!this.#running) break
        failures += 1
        if (failures === 1) {
          this.#logger.warn({ event: 'incident_feed_failed', component: 'alerts', err: error })
        }
        await sleep(Math.min(5000, 100 * 2 ** failures))
      }
    }
  }

  #read(entries: [string, string[]][]): void {
    let changed = false
    let rules = false

    for (const [id, fields] of entries) {
      this.#lastId = id
      if (fields[0] !== 'kind') continue
      if (fields[1] === 'rules') {
        rules = true
        continue
      }
      const incident = decodeIncident(fields.slice(2))
      if (incident === null) {
        this.#logger.error({ event: 'incident_change_invalid', component: 'alerts', id })
        continue
      }
      changed = this.#take(incident) || changed
    }

    if (changed) for (const listener of this.#listeners) listener()
    if (rules) for (const listener of this.#ruleListeners) listener()
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

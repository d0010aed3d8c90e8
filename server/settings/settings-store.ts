/**
 * Keeps the settings in Redis: the current document, every version ever written (so that
 * a server rebuilding today's figures counts each event by the settings of its moment) and
 * an audit trail of who changed what. A change is written and announced to every server
 * process in one script (store/control-write.ts), from the version the change was made on.
 */
import type { Redis } from 'ioredis'
import { z } from 'zod'
import { SettingsSchema, type Settings, type StoredSettings } from '../../shared/settings.ts'
import type { Logger } from '../logger.ts'
import {
  call,
  defineControlWrite,
  writeWithControlEvent,
  type ConfigWrite,
} from '../store/control-write.ts'
import type { Keys } from '../store/keys.ts'
import { diffSettings, type SettingsChange } from './settings-diff.ts'

/** Name of the `other` event that announces a change of the settings. */
export const SETTINGS_EVENT = 'callboard.settings'

/** The audit list keeps this many changes. */
const AUDIT_LENGTH = 1000

/** One version of the settings and when it was written (epoch ms). */
export interface SettingsVersion {
  version: number
  savedAt: number
  settings: Settings
}

/** Who made a change: a token's name and role, or nobody known while access is open. */
export interface Actor {
  name: string
  role: string
}

export interface AuditEntry {
  version: number
  at: number
  by: Actor
  changes: SettingsChange[]
}

const VersionSchema = z.object({ savedAt: z.number(), settings: SettingsSchema })

const AuditSchema = z.object({
  version: z.number(),
  at: z.number(),
  by: z.object({ name: z.string(), role: z.string() }),
  changes: z.array(z.object({ field: z.string(), before: z.unknown(), after: z.unknown() })),
})

export class SettingsStore {
  readonly #redis: Redis
  readonly #keys: Keys
  readonly #logger: Logger

  constructor(redis: Redis, keys: Keys, logger: Logger) {
    this.#redis = redis
    this.#keys = keys
    this.#logger = logger
    defineControlWrite(redis)
  }

  /** Every version written, oldest first. */
  async versions(): Promise<SettingsVersion[]> {
    const raw = await call(() => this.#redis.hgetall(this.#keys.settingsHistory))
    const out: SettingsVersion[] = []

    for (const [field, json] of Object.entries(raw)) {
      const parsed = this.#parse(json)
      if (parsed !== null) out.push({ version: Number(field), ...parsed })
    }
    return out.sort((a, b) => a.version - b.version)
  }

  /** One version, or null when it is not stored. */
  async version(version: number): Promise<SettingsVersion | null> {
    const key = this.#keys.settingsHistory
    const json = await call(() => this.#redis.hget(key, String(version)))
    const parsed = json === null ? null : this.#parse(json)
    return parsed === null ? null : { version, ...parsed }
  }

  /**
   * Writes `next` over `before` (at version `before.version`), with an audit entry of the
   * fields that differ. Throws VersionConflictError when someone wrote in between.
   */
  async save(before: StoredSettings, next: Settings, by: Actor): Promise<ConfigWrite> {
    const keys = this.#keys
    const version = before.version + 1
    const savedAt = Date.now()
    const json = JSON.stringify(next)
    const entry: AuditEntry = { version, at: savedAt, by, changes: diffSettings(before, next) }

    const written = await writeWithControlEvent(this.#redis, {
      event: SETTINGS_EVENT,
      scope: 'settings',
      versionKey: keys.settingsVersion,
      streamKey: keys.events,
      fromVersion: before.version,
      operations: [
        { op: 'SET', key: keys.settings, value: json },
        {
          op: 'HSET',
          key: keys.settingsHistory,
          field: String(version),
          value: JSON.stringify({ savedAt, settings: next }),
        },
        { op: 'LPUSH', key: keys.settingsAudit, arg: JSON.stringify(entry) },
        { op: 'LTRIM', key: keys.settingsAudit, start: 0, stop: AUDIT_LENGTH - 1 },
      ],
    })
    const fields = entry.changes.length
    this.#logger.info({ event: 'settings_saved', component: 'settings', ...written, fields })
    return written
  }

  /** The latest changes, newest first. */
  async audit(limit = 200): Promise<AuditEntry[]> {
    const raw = await call(() => this.#redis.lrange(this.#keys.settingsAudit, 0, limit - 1))
    const out: AuditEntry[] = []

    for (const json of raw) {
      const parsed = AuditSchema.safeParse(safeJson(json))
      if (parsed.success) out.push(parsed.data as AuditEntry)
    }
    return out
  }

  // Written by us after checks; read with checks anyway. A bad value is logged and skipped
  // rather than stopping the board.
  #parse(json: string): { savedAt: number; settings: Settings } | null {
    const parsed = VersionSchema.safeParse(safeJson(json))
    if (parsed.success) return parsed.data
    this.#logger.error({ event: 'settings_invalid', component: 'settings' })
    return null
  }
}

function safeJson(raw: string): unknown {
  try {
    return JSON.parse(raw)
  } catch {
    return undefined
  }
}

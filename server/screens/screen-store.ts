/**
 * Keeps the screens in Redis and tells every server process when one changed, as the agent
 * configuration does (agent-config-store.ts): the layout is written, the screens' version
 * raised and a control event appended to the event stream in one Lua script. Each process
 * reloads the screens when it reads a control event newer than its copy, so a TV follows its
 * layout whichever process its socket reached; the stream (not pub/sub) because a process
 * cut off from Redis meanwhile still finds the event when it resumes.
 */
import type { Redis } from 'ioredis'
import { z } from 'zod'
import type { CanonicalEvent } from '../../shared/events.ts'
import type { Screen, ScreenLayoutInput } from '../../shared/screens.ts'
import { StoreUnavailableError } from '../errors.ts'
import type { Logger } from '../logger.ts'
import { isConnectionError } from '../store/event-store.ts'
import type { Keys } from '../store/keys.ts'
import { ScreenLayoutSchema } from './screen-schema.ts'

/** Name of the `other` event that announces a change of a screen. */
export const SCREENS_EVENT = 'callboard.screens'

// KEYS: screens hash, revisions hash, version counter, event stream. ARGV: name, layout JSON
// ('' deletes), the revision the change was made from ('' for any), event time (ms). The
// name was checked (letters, digits, . _ -), so it may stand in the JSON unescaped.
// Returns { 1, revision, stream id }, { 0 } for a delete of nothing, { -1, current } on a
// revision mismatch.
const WRITE_SCRIPT = `
local current = tonumber(redis.call('HGET', KEYS[2], ARGV[1]) or '0')
if ARGV[3] ~= '' and tonumber(ARGV[3]) ~= current then return { -1, current } end
if ARGV[2] == '' and redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return { 0 } end

local version = redis.call('INCR', KEYS[3])
if ARGV[2] == '' then
  redis.call('HDEL', KEYS[1], ARGV[1])
  redis.call('HDEL', KEYS[2], ARGV[1])
else
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
  redis.call('HSET', KEYS[2], ARGV[1], version)
end
local entry = '{"type":"other","name":"${SCREENS_EVENT}","ts":' .. ARGV[4] ..
  ',"id":"${SCREENS_EVENT}.' .. version .. '","data":["' .. ARGV[1] .. '","' .. version .. '"]}'
local id = redis.call('XADD', KEYS[4], '*', 'e', entry)
return { 1, version, id }
`

/** Every stored screen at one version of the screens. */
export interface ScreenSet {
  version: number
  screens: Map<string, Screen>
}

export type ScreenWrite =
  | { outcome: 'written'; version: number }
  | { outcome: 'missing' }
  | { outcome: 'conflict'; revision: number }

const StoredSchema = ScreenLayoutSchema.omit({ revision: true, by: true }).extend({
  updatedAt: z.number(),
  updatedBy: z.string(),
})

export class ScreenStore {
  readonly #redis: Redis
  readonly #keys: Keys
  readonly #logger: Logger

  constructor(redis: Redis, keys: Keys, logger: Logger) {
    this.#redis = redis
    this.#keys = keys
    this.#logger = logger
    redis.defineCommand('callboardScreenWrite', { numberOfKeys: 4, lua: WRITE_SCRIPT })
  }

  /** Stores a screen's layout; `expected` is the revision it was read at, if it matters. */
  save(
    name: string,
    layout: ScreenLayoutInput,
    by: string,
    expected: number | undefined,
  ): Promise<ScreenWrite> {
    const { pages, rotationSeconds, theme, language } = layout
    const json = JSON.stringify({
      pages,
      rotationSeconds,
      theme,
      language,
      updatedAt: Date.now(),
      updatedBy: by,
    })
    return this.#write(name, json, expected)
  }

  remove(name: string): Promise<ScreenWrite> {
    return this.#write(name, '', undefined)
  }

  async load(): Promise<ScreenSet> {
    const keys = this.#keys
    const replies = await this.#call(() =>
      this.#redis
        .multi()
        .get(keys.screensVersion)
        .hgetall(keys.screens)
        .hgetall(keys.screenRevisions)
        .exec(),
    )
    const [version, layouts, revisions] = (replies ?? []).map(([error, value]) => {
      if (error !== null) throw error
      return value
    }) as [string | null, Record<string, string>, Record<string, string>]

    const screens = new Map<string, Screen>()
    for (const [name, json] of Object.entries(layouts)) {
      const parsed = StoredSchema.safeParse(safeJson(json))
      if (!parsed.success) {
        // Written by us after checks; a bad one is left out rather than stopping the rest.
        this.#logger.error({ event: 'screen_invalid', component: 'screens', name })
        continue
      }
      screens.set(name, { name, revision: Number(revisions[name] ?? 0), ...parsed.data })
    }
    return { version: Number(version ?? 0), screens }
  }

  async #write(name: string, json: string, expected: number | undefined): Promise<ScreenWrite> {
    const keys = this.#keys
    const redis = this.#redis as Redis & {
      callboardScreenWrite(...args: string[]): Promise<[number, number?, string?]>
    }
    const [outcome, number = 0] = await this.#call(() =>
      redis.callboardScreenWrite(
        keys.screens,
        keys.screenRevisions,
        keys.screensVersion,
        keys.events,
        name,
        json,
        expected === undefined ? '' : String(expected),
        String(Date.now()),
      ),
    )

    if (outcome === -1) return { outcome: 'conflict', revision: number }
    if (outcome === 0) return { outcome: 'missing' }
    const removed = json === ''
    this.#logger.info({ event: 'screen_saved', component: 'screens', name, removed })
    return { outcome: 'written', version: number }
  }

  async #call<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run()
    } catch (error) {
      if (isConnectionError(error)) throw new StoreUnavailableError('Redis is unavailable')
      throw error
    }
  }
}

/** The version a screens control event announces, or null for any other event. */
export function readScreensEvent(event: CanonicalEvent): number | null {
  if (event.type !== 'other' || event.name !== SCREENS_EVENT) return null

  const version = Number(event.data[1])
  return Number.isInteger(version) ? version : null
}

function safeJson(raw: string): unknown {
  try {
    return JSON.parse(raw)
  } catch {
    return undefined
  }
}

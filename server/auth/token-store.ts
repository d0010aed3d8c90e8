/**
 * Access tokens and pairing codes in Redis. A token is 32 random bytes shown once, when it
 * is made; Redis keeps only its sha-256, so a copy of the database lets nobody in. Tokens
 * do not expire: a TV on the wall must keep working for years. They end when revoked.
 */
import { createHash, randomBytes, randomInt } from 'node:crypto'
import type { Redis } from 'ioredis'
import { z } from 'zod'
import { StoreUnavailableError } from '../errors.ts'
import { isConnectionError } from '../store/event-store.ts'
import type { AuthKeys } from './auth-keys.ts'
import { ROLES, ScopeSchema, type Principal, type Role, type Scope } from './roles.ts'

const TokenRecordSchema = z.object({
  id: z.string(),
  name: z.string(),
  role: z.enum(ROLES),
  scope: ScopeSchema,
  createdAt: z.number(),
  createdBy: z.string(),
})
export type TokenRecord = z.infer<typeof TokenRecordSchema>

const PairingSchema = z.object({
  name: z.string(),
  scope: ScopeSchema,
  /** Where the TV goes once paired, e.g. `/?queues=Sales`. */
  path: z.string(),
  createdBy: z.string(),
})
export type Pairing = z.infer<typeof PairingSchema>

export interface NewToken {
  role: Role
  name: string
  scope?: Scope
  createdBy: string
}

/** Without I, L, O and U, which read as 1, 1, 0 and V on a screen across the room. */
const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'
const CODE_LENGTH = 8

// KEYS[1] tokens, KEYS[2] token ids, KEYS[3] last seen. ARGV[1] id.
const REVOKE_SCRIPT = `
local hash = redis.call('HGET', KEYS[2], ARGV[1])
if not hash then return 0 end
redis.call('HDEL', KEYS[1], hash)
redis.call('HDEL', KEYS[2], ARGV[1])
redis.call('HDEL', KEYS[3], ARGV[1])
return 1
`

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}

export class TokenStore {
  readonly #redis: Redis
  readonly #keys: AuthKeys

  constructor(redis: Redis, keys: AuthKeys) {
    this.#redis = redis
    this.#keys = keys
    redis.defineCommand('callboardRevokeToken', { numberOfKeys: 3, lua: REVOKE_SCRIPT })
  }

  /** Makes a token; the answer is the only place its text ever appears. */
  async create(spec: NewToken, now = Date.now()): Promise<{ token: string; record: TokenRecord }> {
    const token = `cb_${randomBytes(32).toString('base64url')}`
    const hash = hashToken(token)
    const record: TokenRecord = {
      id: `t_${randomBytes(6).toString('hex')}`,
      name: spec.name,
      role: spec.role,
      scope: spec.role === 'viewer' ? (spec.scope ?? {}) : {},
      createdAt: now,
      createdBy: spec.createdBy,
    }

    await this.#call(() =>
      this.#redis
        .multi()
        .hset(this.#keys.tokens, hash, JSON.stringify(record))
        .hset(this.#keys.tokenIds, record.id, hash)
        .exec(),
    )
    return { token, record }
  }

  /** The principals of these token hashes, null for each that is unknown or revoked. */
  async find(hashes: readonly string[]): Promise<(Principal | null)[]> {
    if (hashes.length === 0) return []
    const found = await this.#call(() => this.#redis.hmget(this.#keys.tokens, ...hashes))
    return found.map((json) => (json === null ? null : toPrincipal(parseRecord(json))))
  }

  /** Every token, newest first, with when it was last used (null: never). */
  async list(): Promise<(TokenRecord & { lastSeenAt: number | null })[]> {
    const [records, seen] = await this.#call(() =>
      Promise.all([this.#redis.hvals(this.#keys.tokens), this.#redis.hgetall(this.#keys.lastSeen)]),
    )
    return records
      .map(parseRecord)
      .map((record) => ({ ...record, lastSeenAt: seenAt(seen[record.id]) }))
      .sort((a, b) => b.createdAt - a.createdAt)
  }

  /** Ends a token at once for new requests, and within seconds for open sockets. */
  async revoke(id: string): Promise<boolean> {
    const redis = this.#redis as RedisWithRevoke
    const keys = this.#keys
    const done = await this.#call(() =>
      redis.callboardRevokeToken(keys.tokens, keys.tokenIds, keys.lastSeen, id),
    )
    return done === 1
  }

  /** Records when tokens were used; written in batches, not per request. */
  async touch(seen: ReadonlyMap<string, number>): Promise<void> {
    if (seen.size === 0) return
    const pairs = [...seen].flatMap(([id, at]) => [id, String(at)])
    await this.#call(() => this.#redis.hset(this.#keys.lastSeen, ...pairs))
  }

  /** A short code a TV can exchange once for a viewer token, within `ttlSeconds`. */
  async createPairing(pairing: Pairing, ttlSeconds: number): Promise<string> {
    const code = Array.from({ length: CODE_LENGTH }, () => CODE_ALPHABET[randomInt(32)]).join('')
    const key = this.#keys.pairing(hashToken(code))
    await this.#call(() => this.#redis.set(key, JSON.stringify(pairing), 'EX', ttlSeconds))
    return `${code.slice(0, 4)}-${code.slice(4)}`
  }

  /** Uses a pairing code up: the second TV to try the same code gets nothing. */
  async redeemPairing(code: string): Promise<Pairing | null> {
    const key = this.#keys.pairing(hashToken(normaliseCode(code)))
    const json = await this.#call(() => this.#redis.getdel(key))
    return json === null ? null : PairingSchema.parse(JSON.parse(json))
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

type RedisWithRevoke = Redis & {
  callboardRevokeToken(tokens: string, ids: string, seen: string, id: string): Promise<number>
}

/** Typed on a TV remote: any case, with or without the dash, O for 0 and I or L for 1. */
export function normaliseCode(code: string): string {
  return code
    .toUpperCase()
    .replace(/[^0-9A-Z]/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1')
}

function parseRecord(json: string): TokenRecord {
  return TokenRecordSchema.parse(JSON.parse(json))
}

function toPrincipal(record: TokenRecord): Principal {
  return { id: record.id, name: record.name, role: record.role, scope: record.scope }
}

function seenAt(value: string | undefined): number | null {
  return value === undefined ? null : Number(value)
}

/**
 * Token buckets kept in Redis, so a limit holds however many server processes share the
 * load. Each bucket fills at `perSecond` up to `burst`; a request takes one token or is
 * told how long to wait. Redis's own clock is used, so processes whose clocks differ agree.
 */
import type { Redis } from 'ioredis'
import { StoreUnavailableError } from '../errors.ts'
import { isConnectionError } from '../store/event-store.ts'

export interface BucketSettings {
  /** Requests a second, on average. */
  perSecond: number
  /** Requests that may come at once after a quiet spell. */
  burst: number
}

export type Take = { allowed: true } | { allowed: false; retryAfterSeconds: number }

// KEYS[1] the bucket. ARGV[1] burst, ARGV[2] tokens per ms. Answers { allowed, wait ms }.
const TAKE_SCRIPT = `
local burst, rate = tonumber(ARGV[1]), tonumber(ARGV[2])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local stored = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(stored[1]) or burst
local at = tonumber(stored[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - at) * rate)
local allowed, wait = 0, 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
else
  wait = math.ceil((1 - tokens) / rate)
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', now)
redis.call('PEXPIRE', KEYS[1], math.ceil(burst / rate) + 1000)
return { allowed, wait }
`

export class RateLimiter {
  readonly #redis: Redis
  readonly #settings: BucketSettings
  readonly #key: (name: string) => string

  constructor(redis: Redis, settings: BucketSettings, key: (name: string) => string) {
    this.#redis = redis
    this.#settings = settings
    this.#key = key
    redis.defineCommand('callboardTakeToken', { numberOfKeys: 1, lua: TAKE_SCRIPT })
  }

  /** Takes one request's token from the bucket `name`. */
  async take(name: string): Promise<Take> {
    const { burst, perSecond } = this.#settings
    const redis = this.#redis as RedisWithTake
    let reply: [number, number]
    try {
      reply = await redis.callboardTakeToken(this.#key(name), burst, perSecond / 1000)
    } catch (error) {
      if (isConnectionError(error)) throw new StoreUnavailableError('Redis is unavailable')
      throw error
    }

    const [allowed, waitMs] = reply
    return allowed === 1
      ? { allowed: true }
      : { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) }
  }
}

type RedisWithTake = Redis & {
  callboardTakeToken(key: string, burst: number, perMs: number): Promise<[number, number]>
}

/**
 * Delivers webhook notifications from a queue in Redis, with retries and back-off, apart
 * from the evaluation: a receiver that hangs or fails delays nothing but its own messages.
 *
 * The queue is a sorted set of delivery ids scored by when each is due. Any process may
 * deliver any of them: a Lua script claims due deliveries by pushing their score a lease
 * ahead, so no two processes post the same one, and a process that dies mid-delivery loses
 * nothing: its lease runs out and another process posts it. That makes delivery at least
 * once: a process killed after the receiver answered but before it recorded so sends that
 * one again.
 */
import type { Redis } from 'ioredis'
import { z } from 'zod'
import type { Logger } from '../logger.ts'
import { WEBHOOK_FORMATS } from './alert-rules.ts'
import type { AlertKeys } from './alert-keys.ts'

export const DeliverySchema = z.object({
  url: z.string(),
  format: z.enum(WEBHOOK_FORMATS),
  /** What happened: opened, resolved or repeat. */
  event: z.string(),
  incidentId: z.string(),
  /** The request body, ready to send. */
  body: z.string(),
  attempts: z.number().int().min(0),
})
export type Delivery = z.infer<typeof DeliverySchema>

export interface OutboxOptions {
  /** How often to look for due deliveries when not woken. @default 500 */
  pollMs: number
  /** A claimed delivery not done in this time is taken up again. @default 60000 */
  leaseMs: number
  /** Give up after this many failed attempts. @default 10 */
  maxAttempts: number
  /** Back-off after the first failure, doubling up to maxDelayMs. @default 2000 */
  baseDelayMs: number
  /** @default 300000 */
  maxDelayMs: number
  /** One attempt may take this long. @default 10000 */
  timeoutMs: number
  /** Deliveries in flight at once in this process. @default 4 */
  concurrency: number
}

export const OUTBOX_DEFAULTS: OutboxOptions = {
  pollMs: 500,
  leaseMs: 60_000,
  maxAttempts: 10,
  baseDelayMs: 2000,
  maxDelayMs: 300_000,
  timeoutMs: 10_000,
  concurrency: 4,
}

// KEYS: outbox, deliveries. ARGV: now, lease end, how many. Returns id, JSON, id, JSON, …
// Only the oldest delivery of each group (incident and webhook) may go: a "resolved" must
// not overtake the "opened" that is still being retried. Ids sort in the order queued.
const CLAIM = `
local now, taken, out, seen, items = tonumber(ARGV[1]), 0, {}, {}, {}
local all = redis.call('ZRANGE', KEYS[1], 0, -1, 'WITHSCORES')
for i = 1, #all, 2 do items[#items + 1] = { all[i], tonumber(all[i + 1]) } end
table.sort(items, function(a, b) return a[1] < b[1] end)
for _, item in ipairs(items) do
  local id, due = item[1], item[2]
  local group = string.match(id, '|(.*)$') or id
  if not seen[group] then
    seen[group] = true
    if due <= now and taken < tonumber(ARGV[3]) then
      local json = redis.call('HGET', KEYS[2], id)
      if json then
        redis.call('ZADD', KEYS[1], ARGV[2], id)
        out[#out + 1] = id
        out[#out + 1] = json
        taken = taken + 1
      else
        redis.call('ZREM', KEYS[1], id)
      end
    end
  end
end
return out
`

type Outcome = { kind: 'done' } | { kind: 'retry' | 'drop'; reason: string }

export class Outbox {
  readonly #redis: Redis
  readonly #keys: AlertKeys
  readonly #logger: Logger
  readonly #options: OutboxOptions
  readonly #inFlight = new Map<string, AbortController>()
  #timer: NodeJS.Timeout | undefined
  #running = false
  #polling = false
  #failing = false

  constructor(redis: Redis, keys: AlertKeys, logger: Logger, options: Partial<OutboxOptions>) {
    this.#redis = redis
    this.#keys = keys
    this.#logger = logger
    this.#options = { ...OUTBOX_DEFAULTS, ...options }
    redis.defineCommand('callboardOutboxClaim', { lua: CLAIM })
  }

  start(): void {
    this.#running = true
    this.kick()
  }

  /** Stops taking deliveries; those in flight are abandoned and due again at once. */
  async stop(): Promise<void> {
    this.#running = false
    clearTimeout(this.#timer)
    for (const controller of this.#inFlight.values()) controller.abort()

    while (this.#inFlight.size > 0 || this.#polling) await sleep(10)
  }

  /** Looks for due deliveries now, rather than at the next poll. */
  kick(): void {
    if (!this.#running) return
    clearTimeout(this.#timer)
    this.#timer = setTimeout(() => void this.#poll(), 0)
  }

  async #poll(): Promise<void> {
    if (this.#polling || !this.#running) return
    this.#polling = true

    try {
      const room = this.#options.concurrency - this.#inFlight.size
      if (room > 0) {
        for (const [id, delivery] of await this.#claim(room)) this.#start(id, delivery)
      }
      this.#failing = false
    } catch (error) {
      if (!this.#failing) {
        this.#logger.warn({ event: 'outbox_claim_failed', component: 'alerts', err: error })
      }
      this.#failing = true
    } finally {
      this.#polling = false
      if (this.#running) this.#timer = setTimeout(() => void this.#poll(), this.#options.pollMs)
    }
  }

  async #claim(count: number): Promise<[string, Delivery][]> {
    const now = Date.now()
    const claim = (this.#redis as unknown as Record<string, (...args: unknown[]) => unknown>)
      .callboardOutboxClaim as (...args: unknown[]) => Promise<string[]>
    const flat = await claim.call(
      this.#redis,
      2,
      this.#keys.outbox,
      this.#keys.deliveries,
      now,
      now + this.#options.leaseMs,
      count,
    )
    const out: [string, Delivery][] = []

    for (let i = 0; i + 1 < flat.length; i += 2) {
      const id = flat[i] as string
      const parsed = DeliverySchema.safeParse(safeJson(flat[i + 1] as string))
      if (parsed.success) out.push([id, parsed.data])
      else await this.#finish(id)
    }
    return out
  }

  #start(id: string, delivery: Delivery): void {
    const controller = new AbortController()
    this.#inFlight.set(id, controller)

    void this.#deliver(delivery, controller.signal)
      .then((outcome) => this.#record(id, delivery, outcome, controller.signal.aborted))
      .catch((error: unknown) => {
        this.#logger.warn({ event: 'outbox_record_failed', component: 'alerts', id, err: error })
      })
      .finally(() => {
        this.#inFlight.delete(id)
        this.kick()
      })
  }

  async #deliver(delivery: Delivery, stop: AbortSignal): Promise<Outcome> {
    const signal = AbortSignal.any([stop, AbortSignal.timeout(this.#options.timeoutMs)])
    let response: Response
    try {
      response = await fetch(delivery.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: delivery.body,
        signal,
      })
    } catch (error) {
      return { kind: 'retry', reason: (error as Error).message }
    }

    const text = await response.text().catch(() => '')
    if (response.ok) return robotRefusal(delivery, text) ?? { kind: 'done' }
    // A request the receiver refuses as such will be refused again; a busy or broken
    // receiver, a timeout or a rate limit may pass later.
    const retry = response.status >= 500 || response.status === 408 || response.status === 429
    return {
      kind: retry ? 'retry' : 'drop',
      reason: `HTTP ${response.status} ${text.slice(0, 200)}`,
    }
  }

  async #record(id: string, delivery: Delivery, outcome: Outcome, aborted: boolean) {
    const fields = { component: 'alerts', incident: delivery.incidentId, url: redact(delivery.url) }

    if (aborted) {
      // Stopped mid-delivery: another process (or this one, restarted) takes it up at once.
      await this.#redis.zadd(this.#keys.outbox, 0, id)
      return
    }
    if (outcome.kind === 'done') {
      this.#logger.info({ event: 'webhook_delivered', ...fields, notice: delivery.event })
      return this.#finish(id)
    }

    const attempts = delivery.attempts + 1
    if (outcome.kind === 'drop' || attempts >= this.#options.maxAttempts) {
      const event = outcome.kind === 'drop' ? 'webhook_refused' : 'webhook_given_up'
      this.#logger.error({ event, ...fields, attempts, reason: outcome.reason })
      return this.#finish(id)
    }

    const delay = backoff(attempts, this.#options)
    this.#logger.warn({
      event: 'webhook_failed',
      ...fields,
      attempts,
      delay,
      reason: outcome.reason,
    })
    await this.#redis
      .multi()
      .hset(this.#keys.deliveries, id, JSON.stringify({ ...delivery, attempts }))
      .zadd(this.#keys.outbox, Date.now() + delay, id)
      .exec()
  }

  async #finish(id: string): Promise<void> {
    await this.#redis.multi().zrem(this.#keys.outbox, id).hdel(this.#keys.deliveries, id).exec()
  }
}

/** Doubling from the base, capped, with up to a fifth more at random to spread retries. */
export function backoff(attempts: number, options: OutboxOptions): number {
  const plain = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (attempts - 1))
  return Math.round(plain * (1 + Math.random() * 0.2))
}

// WeCom and DingTalk robots answer 200 with an error code in the body (a wrong keyword, a
// rate limit); those count as failures, retried like a 5xx.
function robotRefusal(delivery: Delivery, text: string): Outcome | null {
  if (delivery.format !== 'wecom' && delivery.format !== 'dingtalk') return null

  const body = safeJson(text) as { errcode?: unknown; errmsg?: unknown } | undefined
  if (body?.errcode === undefined || body.errcode === 0) return null
  return { kind: 'retry', reason: `errcode ${String(body.errcode)}: ${String(body.errmsg)}` }
}

/** The URL without its path and query, which for chat robots hold the access token. */
function redact(url: string): string {
  try {
    return new URL(url).origin
  } catch {
    return '(invalid url)'
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

/**
 * Checks tokens. Known tokens are kept in memory and checked against Redis every few
 * seconds, all in one read, so a request costs no Redis round trip, a revoked token stops
 * working everywhere within `REFRESH_MS`, and a wall whose token was seen before keeps
 * working while Redis is away. Open sockets hear when their token is revoked.
 */
import { timingSafeEqual } from 'node:crypto'
import type { Logger } from '../logger.ts'
import type { Principal } from './roles.ts'
import { hashToken, type TokenStore } from './token-store.ts'

export interface AuthenticatorOptions {
  store: TokenStore
  logger: Logger
  /** CALLBOARD_ADMIN_TOKEN: an admin token that lives in the environment, not in Redis. */
  bootstrapToken?: string
  now?: () => number
  /** @default REFRESH_MS */
  refreshMs?: number
}

interface Known {
  principal: Principal
  usedAt: number
  /** Sockets open with this token, told when it is revoked. */
  listeners: Set<() => void>
}

const REFRESH_MS = 5000
/** A token nobody used for this long is forgotten, and read from Redis again when it is. */
const FORGET_AFTER_MS = 10 * 60_000

const BOOTSTRAP: Principal = {
  id: 'env',
  name: 'CALLBOARD_ADMIN_TOKEN',
  role: 'admin',
  scope: {},
}

export class Authenticator {
  readonly #options: AuthenticatorOptions
  readonly #now: () => number
  readonly #known = new Map<string, Known>()
  readonly #bootstrapHash: Buffer | null
  /** Token id → when it was last used, not yet written to Redis. */
  #seen = new Map<string, number>()
  #timer: NodeJS.Timeout | undefined
  #refreshing: Promise<void> = Promise.resolve()

  constructor(options: AuthenticatorOptions) {
    this.#options = options
    this.#now = options.now ?? Date.now
    const bootstrap = options.bootstrapToken
    this.#bootstrapHash = bootstrap ? Buffer.from(hashToken(bootstrap), 'hex') : null
  }

  start(): void {
    this.#timer = setInterval(() => {
      this.#refreshing = this.refresh()
    }, this.#options.refreshMs ?? REFRESH_MS)
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer)
    await this.#refreshing
  }

  /** The holder of `token`, or null when it is unknown or revoked. */
  async verify(token: string): Promise<Principal | null> {
    const hash = hashToken(token)
    if (this.#isBootstrap(hash)) return BOOTSTRAP

    let known = this.#known.get(hash)
    if (known === undefined) {
      // Throws StoreUnavailableError while Redis is away: the caller answers 503.
      const [principal] = await this.#options.store.find([hash])
      if (principal === null || principal === undefined) return null
      known = { principal, usedAt: 0, listeners: new Set() }
      this.#known.set(hash, known)
    }

    known.usedAt = this.#now()
    this.#seen.set(known.principal.id, known.usedAt)
    return known.principal
  }

  /** Calls `listener` once when `token` is revoked; returns the function that stops it. */
  onRevoked(token: string, listener: () => void): () => void {
    const known = this.#known.get(hashToken(token))
    if (known === undefined) return () => {}

    known.listeners.add(listener)
    return () => known.listeners.delete(listener)
  }

  /** Forgets a token revoked through this process at once; other processes follow. */
  revoked(id: string): void {
    for (const [hash, known] of this.#known) {
      if (known.principal.id === id) this.#update(hash, null)
    }
  }

  /** Re-reads every known token, tells the sockets of revoked ones, saves last-seen times. */
  async refresh(): Promise<void> {
    const now = this.#now()
    for (const [hash, known] of this.#known) {
      const idle = known.listeners.size === 0 && now - known.usedAt > FORGET_AFTER_MS
      if (idle) this.#known.delete(hash)
    }
    // An open socket is a use: its TV shows as seen while it shows figures.
    for (const known of this.#known.values()) {
      if (known.listeners.size > 0) this.#seen.set(known.principal.id, now)
    }

    const hashes = [...this.#known.keys()]
    const seen = this.#seen
    this.#seen = new Map()
    try {
      const found = await this.#options.store.find(hashes)
      hashes.forEach((hash, index) => this.#update(hash, found[index] ?? null))
      await this.#options.store.touch(seen)
    } catch (error) {
      // Redis away: keep what we know, and the times for the next round.
      for (const [id, at] of seen) if (!this.#seen.has(id)) this.#seen.set(id, at)
      this.#options.logger.debug({ event: 'auth_refresh_failed', component: 'auth', err: error })
    }
  }

  #update(hash: string, principal: Principal | null): void {
    const known = this.#known.get(hash)
    if (known === undefined) return
    if (principal !== null) {
      known.principal = principal
      return
    }

    this.#known.delete(hash)
    const { id, name } = known.principal
    this.#options.logger.info({ event: 'token_revoked_seen', component: 'auth', id, name })
    for (const listener of known.listeners) listener()
  }

  #isBootstrap(hash: string): boolean {
    const bootstrap = this.#bootstrapHash
    return bootstrap !== null && timingSafeEqual(bootstrap, Buffer.from(hash, 'hex'))
  }
}

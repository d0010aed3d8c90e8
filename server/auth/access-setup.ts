/**
 * Access control as a server process holds it: the token store, the authenticator (none
 * while access is off) and the two rate limits, made from the configuration.
 */
import type { Redis } from 'ioredis'
import type { AccessSettings } from '../config.ts'
import type { AppAccess } from '../http/app.ts'
import type { Logger } from '../logger.ts'
import { authKeysFor } from './auth-keys.ts'
import { Authenticator } from './authenticator.ts'
import { RateLimiter } from './rate-limit.ts'
import { TokenStore } from './token-store.ts'

/** Ten tries a minute from one address: guessing one of 32⁸ codes stays out of reach. */
const PAIRING_TRIES = { perSecond: 10 / 60, burst: 10 }

export interface Access {
  app: AppAccess
  start(): void
  stop(): Promise<void>
}

export function createAccess(
  settings: AccessSettings,
  redis: Redis,
  prefix: string,
  logger: Logger,
  options: { refreshMs?: number } = {},
): Access {
  const keys = authKeysFor(prefix)
  const tokens = new TokenStore(redis, keys)
  const auth = settings.enabled
    ? new Authenticator({
        store: tokens,
        logger,
        bootstrapToken: settings.adminToken,
        refreshMs: options.refreshMs,
      })
    : null
  const ingest = { perSecond: settings.ingestPerSecond, burst: settings.ingestBurst }

  if (!settings.enabled) {
    logger.warn({ event: 'access_off', component: 'auth' }, 'CALLBOARD_AUTH=off: no tokens asked')
  }
  return {
    app: {
      auth,
      tokens,
      origins: settings.origins,
      loopbackOnly: settings.loopbackOnly,
      hosts: settings.hosts,
      ingestLimiter: auth === null ? null : new RateLimiter(redis, ingest, keys.bucket),
      pairingLimiter: new RateLimiter(redis, PAIRING_TRIES, keys.bucket),
    },
    start: () => auth?.start(),
    stop: async () => await auth?.stop(),
  }
}

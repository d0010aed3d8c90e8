/**
 * Replaces a Redis connection that looks open but carries nothing: its far end went away
 * without a reset (a failover that moved Redis's address, a NAT or firewall that forgot the
 * flow). TCP itself would notice only after its keep-alive gives up, hours later; until
 * then reads stall and every command times out. A PING a few seconds apart tells: when
 * none has been answered for REDIS_SILENT_RECONNECT_MS on a connection that is 'ready', it
 * is dropped and made anew (ioredis sends again what was unanswered, which the stream
 * reads and the ingest script may take twice: they are idempotent).
 */
import type { Redis } from 'ioredis'
import type { Logger } from '../logger.ts'

/**
 * How long a ready connection may go without answering before it is replaced. Longer than
 * the longest command a healthy Redis takes (a 16 MB ingest script, about a second, or a
 * blocking read's second) and than the command timeout, so that a Redis that is only
 * slow, or has stopped for a moment, is waited for rather than reconnected to.
 */
export const REDIS_SILENT_RECONNECT_MS = 10_000
const PROBE_EVERY_MS = 2000

/** Watches `redis` until the returned function is called. */
export function watchSilence(redis: Redis, connection: string, logger: Logger): () => void {
  let answeredAt = performance.now()
  let probing = false

  const probe = () => {
    // Not ready: ioredis is connecting or reconnecting by itself; nothing to replace.
    if (redis.status !== 'ready') {
      answeredAt = performance.now()
      return
    }

    const silentMs = performance.now() - answeredAt
    if (silentMs > REDIS_SILENT_RECONNECT_MS) {
      logger.warn({
        event: 'redis_silent_reconnect',
        component: 'redis',
        connection,
        silentMs: Math.round(silentMs),
      })
      answeredAt = performance.now()
      redis.disconnect(true)
      return
    }

    if (probing) return
    probing = true
    redis
      .ping()
      .then(
        () => (answeredAt = performance.now()),
        () => {},
      )
      .finally(() => (probing = false))
  }

  const timer = setInterval(probe, PROBE_EVERY_MS)
  timer.unref()
  return () => clearInterval(timer)
}

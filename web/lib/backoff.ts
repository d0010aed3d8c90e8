/**
 * Reconnect delays: exponential, capped, with jitter so that every wall in the building
 * does not knock on a restarted server in the same millisecond.
 */

export interface BackoffOptions {
  /** Delay before the first retry. @default 500 */
  minDelayMs: number
  /** Longest delay before jitter. @default 10_000 */
  maxDelayMs: number
  /** Spread as a fraction of the delay, either way. @default 0.3 */
  jitter: number
}

export const BACKOFF_DEFAULTS: BackoffOptions = {
  minDelayMs: 500,
  maxDelayMs: 10_000,
  jitter: 0.3,
}

/**
 * Delay before retry number `attempt` (0 for the first). `random` returns [0, 1) and is
 * a parameter so tests can pin it.
 */
export function backoffDelay(
  attempt: number,
  options: BackoffOptions = BACKOFF_DEFAULTS,
  random: () => number = Math.random,
): number {
  const exponent = Math.min(Math.max(0, attempt), 30)
  const base = Math.min(options.maxDelayMs, options.minDelayMs * 2 ** exponent)
  const spread = options.jitter * (2 * random() - 1)

  return Math.round(base * (1 + spread))
}

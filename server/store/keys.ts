/**
 * Redis key names. Every key carries the prefix as a hash tag ({callboard}:…), so a Redis
 * Cluster keeps them in one slot and the ingest script may touch several at once.
 */
export interface Keys {
  /** The stream of canonical events, one entry per accepted event, field `e` = JSON. */
  events: string
  /** Event ids seen on one UTC day (YYYY-MM-DD of the event time), to drop duplicates. */
  seen(day: string): string
}

export function keysFor(prefix: string): Keys {
  const tag = `{${prefix}}`
  return {
    events: `${tag}:events`,
    seen: (day) => `${tag}:seen:${day}`,
  }
}

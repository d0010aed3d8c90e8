/**
 * Redis key names. Every key carries the prefix as a hash tag ({callboard}:…), so a Redis
 * Cluster keeps them in one slot and the ingest script may touch several at once.
 */
export interface Keys {
  /** The stream of canonical events, one entry per accepted event, field `e` = JSON. */
  events: string
  /** Event ids seen on one UTC day (YYYY-MM-DD of the event time), to drop duplicates. */
  seen(day: string): string
  /** Counter raised by every change of the agent configuration below. */
  agentConfigVersion: string
  /** Teams, the agent roster and the agent rules, each one JSON string. */
  teams: string
  roster: string
  agentRules: string
  /** The schedules of one site day (YYYY-MM-DD): hash of agent id → JSON activities. */
  schedule(day: string): string
  /** The settings (server/settings/settings-store.ts): JSON of the current settings. */
  settings: string
  /** Counter raised by every change of the settings. */
  settingsVersion: string
  /** Hash of version → JSON of the settings that version wrote and when. */
  settingsHistory: string
  /** List of the changes, newest first: who, when, what (before → after). */
  settingsAudit: string
  /** Per-quarter figures of one UTC day (YYYY-MM-DD): hash of "<quarter ms>:<queue>" → JSON. */
  history(day: string): string
  /** Screen layouts: hash of screen name → JSON layout (server/screens/screen-store.ts). */
  screens: string
  /** Hash of screen name → the revision of its last change. */
  screenRevisions: string
  /** Counter raised by every change of any screen. */
  screensVersion: string
  /** Set by `callboard demo` on a prefix it made, the only kind it will empty again. */
  demo: string
  /** Sorted set of server processes → their last heartbeat (Redis time, ms). */
  members: string
  /** Hash of queue partition → "<member>|<epoch>", the process that computes its figures. */
  leases: string
  /** Counter raised by every claim of a partition, so each lease has an epoch of its own. */
  leaseEpoch: string
  /** Stream of the buckets each partition's owner sends (cluster/figure-exchange.ts). */
  figureChanges: string
}

export function keysFor(prefix: string): Keys {
  const tag = `{${prefix}}`
  return {
    events: `${tag}:events`,
    seen: (day) => `${tag}:seen:${day}`,
    agentConfigVersion: `${tag}:agents:version`,
    teams: `${tag}:agents:teams`,
    roster: `${tag}:agents:roster`,
    agentRules: `${tag}:agents:rules`,
    schedule: (day) => `${tag}:schedule:${day}`,
    settings: `${tag}:settings`,
    settingsVersion: `${tag}:settings:version`,
    settingsHistory: `${tag}:settings:history`,
    settingsAudit: `${tag}:settings:audit`,
    screens: `${tag}:screens`,
    screenRevisions: `${tag}:screens:revisions`,
    screensVersion: `${tag}:screens:version`,
    demo: `${tag}:demo`,
    members: `${tag}:cluster:members`,
    leases: `${tag}:cluster:leases`,
    leaseEpoch: `${tag}:cluster:epoch`,
    figureChanges: `${tag}:figures:changes`,
    history: (day) => `${tag}:history:${day}`,
  }
}

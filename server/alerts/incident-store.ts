/**
 * Incidents in Redis, shared by every server process. Each change of an incident is one Lua
 * script that checks and writes in one step: it changes the incident, appends it whole to
 * the changes stream that the other processes follow, and queues its webhook deliveries.
 * So when several processes decide the same thing at once, exactly one of them changes the
 * incident and queues notifications; the others are told what is already there.
 *
 * Times come from the caller's clock, never Redis's, so a test can drive every transition.
 */
import type { Redis } from 'ioredis'
import type { Incident } from '../../shared/alerts.ts'
import type { AlertKeys } from './alert-keys.ts'
import { decodeIncident, encodeIncident } from './incident-codec.ts'

/**
 * A webhook delivery to queue with a change (outbox.ts): its JSON, and its group, the
 * incident and webhook it is for. Deliveries of one group go out in the order queued.
 */
export interface QueuedDelivery {
  group: string
  json: string
}

/** Resolved incidents are kept this long, then expire. */
const KEEP_SECONDS = 90 * 86_400
/** The changes stream keeps about this many entries: enough for a process to catch up. */
const CHANGES_MAXLEN = 10_000

// Helpers shared by the scripts: append the incident whole to the changes stream and
// answer the entry's id; queue the deliveries given as group/JSON pairs from ARGV[from] on,
// due at once (score 0). A delivery's id starts with that entry's id, zero-padded, so ids
// sort in the order the changes were made, and ends with its group.
const HELPERS = `
local function publish(incident, changes)
  return redis.call('XADD', changes, 'MAXLEN', '~', ${CHANGES_MAXLEN}, '*', 'kind', 'incident',
    unpack(redis.call('HGETALL', incident)))
end
local function enqueue(outbox, deliveries, from, entry)
  local ms, seq = string.match(entry, '(%d+)-(%d+)')
  local order = ms .. '-' .. string.format('%06d', tonumber(seq))
  for i = from, #ARGV, 2 do
    local id = order .. '.' .. string.format('%03d', (i - from) / 2) .. '|' .. ARGV[i]
    redis.call('HSET', deliveries, id, ARGV[i + 1])
    redis.call('ZADD', outbox, 0, id)
  end
end
local function reply(status, incident)
  return { status, unpack(redis.call('HGETALL', incident)) }
end
`

// KEYS: incident, open, resolved, history, changes, outbox, deliveries. ARGV: key, id,
// breachSince, openedAt, count of field ARGVs, fields…, deliveries…
// "covered": an incident of this key resolved after this breach began, so the breach had
// its incident already (another process resolved it a moment before this one saw it).
const OPEN = `${HELPERS}
local existing = redis.call('HGET', KEYS[2], ARGV[1])
if existing then return { 'existing', existing } end
local resolved = redis.call('HGET', KEYS[3], ARGV[1])
if resolved and tonumber(resolved) >= tonumber(ARGV[3]) then return { 'covered' } end
local last = 5 + tonumber(ARGV[5])
redis.call('HSET', KEYS[1], unpack(ARGV, 6, last))
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[4], ARGV[4], ARGV[2])
enqueue(KEYS[6], KEYS[7], last + 1, publish(KEYS[1], KEYS[5]))
return reply('opened', KEYS[1])
`

// KEYS: incident, open, resolved, changes, outbox, deliveries. ARGV: key, id, now, value,
// deliveries…
const RESOLVE = `${HELPERS}
if redis.call('HGET', KEYS[2], ARGV[1]) ~= ARGV[2] then return reply('gone', KEYS[1]) end
redis.call('HDEL', KEYS[2], ARGV[1])
redis.call('HSET', KEYS[3], ARGV[1], ARGV[3])
redis.call('HSET', KEYS[1], 'state', 'resolved', 'resolvedAt', ARGV[3], 'resolvedValue', ARGV[4],
  'nextRepeatAt', '')
redis.call('HINCRBY', KEYS[1], 'rev', 1)
redis.call('EXPIRE', KEYS[1], ${KEEP_SECONDS})
enqueue(KEYS[5], KEYS[6], 5, publish(KEYS[1], KEYS[4]))
return reply('resolved', KEYS[1])
`

// KEYS: incident, changes, outbox, deliveries. ARGV: now, next repeat, deliveries…
const REPEAT = `${HELPERS}
local f = redis.call('HMGET', KEYS[1], 'state', 'acknowledgedAt', 'snoozedUntil', 'nextRepeatAt')
local now = tonumber(ARGV[1])
if f[1] ~= 'open' or (f[2] and f[2] ~= '') then return reply('skipped', KEYS[1]) end
if f[3] and f[3] ~= '' and tonumber(f[3]) > now then return reply('skipped', KEYS[1]) end
if not f[4] or f[4] == '' or tonumber(f[4]) > now then return reply('skipped', KEYS[1]) end
redis.call('HSET', KEYS[1], 'nextRepeatAt', ARGV[2])
redis.call('HINCRBY', KEYS[1], 'notifications', 1)
redis.call('HINCRBY', KEYS[1], 'rev', 1)
enqueue(KEYS[3], KEYS[4], 3, publish(KEYS[1], KEYS[2]))
return reply('repeated', KEYS[1])
`

// KEYS: incident, changes. ARGV: now, by, snooze until ('' to acknowledge), next repeat.
// Acknowledging stops repeats for good; snoozing holds them until the snooze ends.
const MARK = `${HELPERS}
local f = redis.call('HMGET', KEYS[1], 'state', 'acknowledgedAt')
if not f[1] then return { 'missing' } end
if f[1] ~= 'open' then return reply('resolved', KEYS[1]) end
local acknowledged = f[2] and f[2] ~= ''
if ARGV[3] == '' then
  if acknowledged then return reply('unchanged', KEYS[1]) end
  redis.call('HSET', KEYS[1], 'acknowledgedAt', ARGV[1], 'acknowledgedBy', ARGV[2],
    'nextRepeatAt', '')
else
  redis.call('HSET', KEYS[1], 'snoozedAt', ARGV[1], 'snoozedBy', ARGV[2], 'snoozedUntil', ARGV[3])
  if not acknowledged then redis.call('HSET', KEYS[1], 'nextRepeatAt', ARGV[4]) end
end
redis.call('HINCRBY', KEYS[1], 'rev', 1)
publish(KEYS[1], KEYS[2])
return reply('changed', KEYS[1])
`

export type OpenOutcome =
  | { status: 'opened'; incident: Incident }
  | { status: 'existing'; incident: Incident }
  | { status: 'covered'; incident: null }

export type MarkStatus = 'changed' | 'unchanged' | 'resolved' | 'missing'

type Script = (numKeys: number, ...args: (string | number)[]) => Promise<string[]>

export class IncidentStore {
  readonly #redis: Redis
  readonly #keys: AlertKeys

  constructor(redis: Redis, keys: AlertKeys) {
    this.#redis = redis
    this.#keys = keys
    redis.defineCommand('callboardIncidentOpen', { lua: OPEN })
    redis.defineCommand('callboardIncidentResolve', { lua: RESOLVE })
    redis.defineCommand('callboardIncidentRepeat', { lua: REPEAT })
    redis.defineCommand('callboardIncidentMark', { lua: MARK })
  }

  get keys(): AlertKeys {
    return this.#keys
  }

  /** Opens `incident` unless its key has one open (returned) or the breach was covered. */
  async open(incident: Incident, deliveries: QueuedDelivery[]): Promise<OpenOutcome> {
    const k = this.#keys
    const fields = encodeIncident(incident)
    const [status, ...reply] = await this.#script('callboardIncidentOpen')(
      7,
      k.incident(incident.id),
      k.open,
      k.resolved,
      k.history,
      k.changes,
      k.outbox,
      k.deliveries,
      incident.key,
      incident.id,
      incident.breachSince,
      incident.openedAt,
      fields.length,
      ...fields,
      ...flatten(deliveries),
    )

    if (status === 'covered') return { status, incident: null }
    if (status === 'opened') return { status, incident: this.#decode(reply) }

    // Another process opened one first: that one is the incident of this breach.
    const existing = await this.get(reply[0] ?? '')
    return existing === null
      ? { status: 'covered', incident: null }
      : { status: 'existing', incident: existing }
  }

  /** Resolves it; false when it was no longer open (another process resolved it). */
  async resolve(
    incident: Incident,
    now: number,
    value: number | null,
    deliveries: QueuedDelivery[],
  ) {
    const k = this.#keys
    const [status, ...reply] = await this.#script('callboardIncidentResolve')(
      6,
      k.incident(incident.id),
      k.open,
      k.resolved,
      k.changes,
      k.outbox,
      k.deliveries,
      incident.key,
      incident.id,
      now,
      value === null ? '' : value,
      ...flatten(deliveries),
    )
    return { resolved: status === 'resolved', incident: this.#decodeOrNull(reply) }
  }

  /** Queues a repeat notification if one is due and nothing holds it back. */
  async repeat(incident: Incident, now: number, next: number, deliveries: QueuedDelivery[]) {
    const k = this.#keys
    const [status, ...reply] = await this.#script('callboardIncidentRepeat')(
      4,
      k.incident(incident.id),
      k.changes,
      k.outbox,
      k.deliveries,
      now,
      next,
      ...flatten(deliveries),
    )
    return { repeated: status === 'repeated', incident: this.#decodeOrNull(reply) }
  }

  /** Acknowledges an open incident, or snoozes it until `until` (epoch ms). */
  async mark(id: string, now: number, by: string, snooze?: { until: number; next: number | null }) {
    const [status, ...reply] = await this.#script('callboardIncidentMark')(
      2,
      this.#keys.incident(id),
      this.#keys.changes,
      now,
      by,
      snooze?.until ?? '',
      snooze?.next ?? '',
    )
    return { status: status as MarkStatus, incident: this.#decodeOrNull(reply) }
  }

  async get(id: string): Promise<Incident | null> {
    const fields = await this.#redis.hgetall(this.#keys.incident(id))
    return decodeIncident(fields)
  }

  async openIncidents(): Promise<Incident[]> {
    const ids = Object.values(await this.#redis.hgetall(this.#keys.open))
    return this.#getMany(ids)
  }

  /** Incidents opened in [from, to], newest first, at most `limit`. */
  async history(from: number, to: number, limit: number): Promise<Incident[]> {
    const ids = await this.#redis.zrevrangebyscore(this.#keys.history, to, from, 'LIMIT', 0, limit)
    return this.#getMany(ids)
  }

  /** Forgets incidents that opened before `before`; their hashes expire by themselves. */
  async prune(before: number): Promise<void> {
    await this.#redis.zremrangebyscore(this.#keys.history, '-inf', `(${before}`)
  }

  async #getMany(ids: string[]): Promise<Incident[]> {
    if (ids.length === 0) return []

    const pipeline = this.#redis.pipeline()
    for (const id of ids) pipeline.hgetall(this.#keys.incident(id))
    const replies = (await pipeline.exec()) ?? []
    return replies.flatMap(([error, fields]) => {
      const incident = error === null ? decodeIncident(fields as Record<string, string>) : null
      return incident === null ? [] : [incident]
    })
  }

  #script(name: string): Script {
    return (this.#redis as unknown as Record<string, Script>)[name]!.bind(this.#redis)
  }

  #decode(reply: string[]): Incident {
    const incident = decodeIncident(reply)
    if (incident === null) throw new Error(`incident in Redis does not parse: ${reply.join(' ')}`)
    return incident
  }

  #decodeOrNull(reply: string[]): Incident | null {
    return reply.length === 0 ? null : decodeIncident(reply)
  }
}

function flatten(deliveries: readonly QueuedDelivery[]): string[] {
  return deliveries.flatMap(({ group, json }) => [group, json])
}

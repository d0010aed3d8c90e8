/**
 * Where an event's time goes: the cost of each stage it passes through one server process,
 * in microseconds per event, measured one stage at a time on the same calls. The stages
 * add up to the most events per second one process can take in and follow, which is what
 * the ingest and rebuild numbers are measured against.
 */
import { parseCanonicalJson } from '../server/adapters/canonical-json.ts'
import { parseQueueLog } from '../server/adapters/queue-log.ts'
import { AgentEngine } from '../server/agents/agent-engine.ts'
import { parsePublication } from '../server/cluster/figure-exchange.ts'
import { memberResolver } from '../server/agents/member-names.ts'
import { Engine, ENGINE_DEFAULTS } from '../server/engine/engine.ts'
import { silentLogger } from '../server/logger.ts'
import { EventStore, storedForm } from '../server/store/event-store.ts'
import { keysFor } from '../server/store/keys.ts'
import { StreamReader, type StreamEntry } from '../server/store/stream-reader.ts'
import type { CanonicalEvent } from '../shared/events.ts'
import type { BenchRedis } from './bench-redis.ts'
import { round } from './stats.ts'
import { bodies, makeCalls } from './traffic.ts'

export interface CostsResult {
  /** Microseconds per event of each stage. */
  us: {
    parseQueueLog: number
    parseNdjson: number
    idAndJson: number
    redisAppend: number
    streamRead: number
    queueEngine: number
    /** The queue engine on a process that counts none of the queues (several servers). */
    queueEngineElsewhere: number
    /** The owner's copies of what changed, sent after every SEND_EVERY events. */
    sendCopies: number
    /** A process that counts none of the queues takes those sends into its engine. */
    takeSends: number
    agentEngine: number
  }
  events: number
  /** Redis memory an event takes: its stream entry, and its id in the day's seen-set. */
  redisBytesPerEvent: { stream: number; seen: number }
}

const BATCH = 5000

export async function measureCosts(redis: BenchRedis, calls: number): Promise<CostsResult> {
  const batch = makeCalls({ calls, queues: 30, tag: 'cost' })
  const queueLog = bodies(batch, BATCH, 'queue_log')
  const ndjson = bodies(batch, BATCH, 'ndjson')
  const events = queueLog.flatMap((body) => parseQueueLog(body))
  const perEvent = (ms: number) => round((ms * 1000) / events.length, 2)

  const us = {
    parseQueueLog: perEvent(timed(() => queueLog.forEach((body) => parseQueueLog(body)))),
    parseNdjson: perEvent(
      timed(() => ndjson.forEach((body) => parseCanonicalJson(body, 'application/x-ndjson'))),
    ),
    idAndJson: perEvent(timed(() => events.forEach((event) => storedForm(event)))),
    redisAppend: 0,
    streamRead: 0,
    queueEngine: perEvent(timed(() => applyAll(queueEngine(), events))),
    queueEngineElsewhere: perEvent(
      timed(() =>
        applyAll(
          queueEngine(() => false),
          events,
        ),
      ),
    ),
    ...perEventOf(exchange(events), perEvent),
    agentEngine: perEvent(timed(() => applyAll(agentEngine(), events))),
  }

  const prefix = redis.prefix('costs')
  try {
    us.redisAppend = perEvent(await appendAll(redis, prefix, events))
    us.streamRead = perEvent(await readAll(redis, prefix, events.length))
    const redisBytesPerEvent = await bytesPerEvent(redis, prefix, events.length)
    return { us, events: events.length, redisBytesPerEvent }
  } finally {
    await redis.drop(prefix)
  }
}

async function bytesPerEvent(redis: BenchRedis, prefix: string, events: number) {
  const keys = keysFor(prefix)
  const usage = async (key: string) => Number(await redis.client.memory('USAGE', key, 'SAMPLES', 0))
  const seenKeys = await redis.client.keys(keys.seen('*'))

  let seen = 0
  for (const key of seenKeys) seen += await usage(key)
  return {
    stream: Math.round((await usage(keys.events)) / events),
    seen: Math.round(seen / events),
  }
}

/** Wall time of `work` in ms, the best of three runs (the first warms the code up). */
function timed(work: () => void): number {
  let best = Infinity
  for (let run = 0; run < 3; run++) {
    const started = performance.now()
    work()
    best = Math.min(best, performance.now() - started)
  }
  return best
}

function applyAll(engine: { apply(event: CanonicalEvent): void }, events: CanonicalEvent[]) {
  for (const event of events) engine.apply(event)
}

function queueEngine(owns?: (queue: string) => boolean): Engine {
  const time = { tz: 'UTC', dayStartMinutes: 0, intervalMinutes: 30 as const }
  const engine = new Engine({ ...ENGINE_DEFAULTS, time, retainMs: 26 * 3600 * 1000 })
  if (owns !== undefined) engine.owns = owns
  return engine
}

/** Events between two sends: a live server reads a few dozen at a time at 2,000 a second. */
const SEND_EVERY = 100

/**
 * The cost of sharing the figures: an owner counting every queue sends its copies after
 * each SEND_EVERY events; a process counting none reads them (JSON, schema) into its engine.
 */
function exchange(events: CanonicalEvent[]): { sendCopies: number; takeSends: number } {
  let sendCopies = Infinity
  let takeSends = Infinity

  for (let run = 0; run < 3; run++) {
    const owner = queueEngine()
    const sends: string[] = []
    let taking = 0
    for (let i = 0; i < events.length; i += SEND_EVERY) {
      applyAll(owner, events.slice(i, i + SEND_EVERY))
      const started = performance.now()
      const copies = owner.takeCopies()
      sends.push(JSON.stringify({ member: 'a', streamId: `${i}-0`, partitions: [0], copies }))
      taking += performance.now() - started
    }
    sendCopies = Math.min(sendCopies, taking)

    const other = queueEngine(() => false)
    const started = performance.now()
    for (const send of sends) other.restoreCopies(parsePublication(['f', send])?.copies ?? [])
    takeSends = Math.min(takeSends, performance.now() - started)
  }
  return { sendCopies, takeSends }
}

function perEventOf<T extends Record<string, number>>(ms: T, perEvent: (ms: number) => number) {
  return Object.fromEntries(Object.entries(ms).map(([key, value]) => [key, perEvent(value)])) as T
}

function agentEngine(): AgentEngine {
  return new AgentEngine({
    resolve: memberResolver(new Map()),
    wrapReasons: [],
    retainMs: 26 * 3600 * 1000,
    clockLimit: null,
  })
}

/** The event store's Lua append (dedup + XADD), a request of 5,000 events at a time. */
async function appendAll(redis: BenchRedis, prefix: string, events: CanonicalEvent[]) {
  const store = new EventStore(redis.client, keysFor(prefix), { retentionHours: 72 })
  const started = performance.now()
  for (let i = 0; i < events.length; i += BATCH) await store.append(events.slice(i, i + BATCH))
  return performance.now() - started
}

/** The live server's stream reader, from the first entry to the last, applying nothing. */
async function readAll(redis: BenchRedis, prefix: string, expected: number): Promise<number> {
  const started = performance.now()
  let read = 0
  let done: () => void = () => {}
  const finished = new Promise<void>((resolve) => (done = resolve))

  const reader = new StreamReader({
    redis: redis.client.duplicate(),
    stream: keysFor(prefix).events,
    fromId: '0-0',
    logger: silentLogger(),
    onBatch: (entries: StreamEntry[]) => {
      read += entries.length
      if (read >= expected) done()
    },
  })
  reader.start()
  await finished
  const elapsed = performance.now() - started
  await reader.stop()
  return elapsed
}

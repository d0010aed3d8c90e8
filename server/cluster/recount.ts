/**
 * A takeover's count: the queues of the partitions a process takes over, counted again
 * from the stream by an engine of their own, each event by the settings in force where it
 * stands (as the rebuild at start counts), up to the entry the live engine has applied.
 */
import type { Redis } from 'ioredis'
import { QUARTER_MS } from '../../shared/windows.ts'
import type { Engine } from '../engine/engine.ts'
import { SETTINGS_EVENT } from '../settings/settings-store.ts'
import { callEntriesWhere } from '../store/stream-range.ts'
import type { ClusterHost } from './queue-cluster.ts'

export interface Recounted {
  engine: Engine
  /** Call and settings events read. */
  events: number
}

export async function recountQueues(
  host: ClusterHost,
  redis: Redis,
  stream: string,
  wants: (queue: string) => boolean,
): Promise<Recounted> {
  const now = host.now()
  // No further back than the live engine keeps, nor than it read at its start.
  const retain = host.engine.settings.retainMs
  const oldest = retain === null ? -Infinity : now - retain - ((now - retain) % QUARTER_MS)
  const from = Math.max(host.rebuiltFrom, oldest)

  const counting = host.settings.replayFrom(from)
  const engine = host.makeEngine((queue) => counting.queue(queue))
  counting.onChange(() => engine.countingChanged())
  let events = 0
  if (host.streamId === '0-0') return { engine, events }

  const range = { fromId: `${from}-0`, toId: host.streamId }
  for await (const entry of callEntriesWhere(redis, stream, range, wants, [SETTINGS_EVENT])) {
    events += 1
    await counting.applyEntries([entry], (event) => engine.apply(event))
  }
  engine.advance(now)
  return { engine, events }
}

/**
 * Replays a recorded queue_log (or CSV export) into a running server as if it were
 * happening now: event times are shifted to start at the current moment and compressed
 * by `speed`. Durations inside events (waits, talk times) keep their recorded values.
 */
import type { CanonicalEvent } from '../../shared/events.ts'
import type { Logger } from '../logger.ts'

export interface ReplayOptions {
  events: readonly CanonicalEvent[]
  /** 10 plays a recorded hour in six minutes. */
  speed: number
  /** Stretches of recorded silence longer than this are shortened to it. @default 60 s */
  maxGapMs?: number
  post(events: CanonicalEvent[]): Promise<void>
  logger: Logger
  signal?: AbortSignal
  now?: () => number
}

const TICK_MS = 100

/** Recorded times mapped onto the replay's clock, with long silences cut short. */
export function retime(
  events: readonly CanonicalEvent[],
  start: number,
  speed: number,
  maxGapMs: number,
): CanonicalEvent[] {
  const ordered = [...events].sort((a, b) => a.ts - b.ts)
  const out: CanonicalEvent[] = []
  let previous = ordered[0]?.ts ?? 0
  let elapsed = 0

  for (const event of ordered) {
    elapsed += Math.min(event.ts - previous, maxGapMs)
    previous = event.ts
    // The id is dropped: the re-timed event is a new one, identified by its new content.
    const { id: _recordedId, ...content } = event
    out.push({ ...content, ts: Math.round(start + elapsed / speed) })
  }
  return out
}

export async function runReplay(options: ReplayOptions): Promise<void> {
  const now = options.now ?? Date.now
  const timeline = retime(options.events, now(), options.speed, options.maxGapMs ?? 60_000)
  let next = 0

  options.logger.info({ event: 'replay_started', component: 'demo', events: timeline.length })
  while (next < timeline.length && !options.signal?.aborted) {
    const due: CanonicalEvent[] = []
    while (next < timeline.length && (timeline[next]?.ts ?? Infinity) <= now()) {
      due.push(timeline[next] as CanonicalEvent)
      next += 1
    }

    if (due.length > 0) await options.post(due)
    await new Promise((resolve) => setTimeout(resolve, TICK_MS))
  }
  options.logger.info({ event: 'replay_finished', component: 'demo', events: next })
}

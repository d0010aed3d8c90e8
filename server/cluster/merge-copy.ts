/**
 * Two copies of one queue taken one after the other, as one: what only the older holds is
 * still news to the other processes, and where both hold a bucket the newer is right.
 */
import type { QueueCopy } from '../engine/queue-state.ts'

export function mergeCopy(older: QueueCopy, newer: QueueCopy): QueueCopy {
  return {
    queue: newer.queue,
    minutes: union(older.minutes, newer.minutes),
    quarters: union(older.quarters, newer.quarters),
    peaks: { ...newer.peaks, quarters: union(older.peaks.quarters, newer.peaks.quarters) },
    live: newer.live,
  }
}

function union<T>(older: [number, T][], newer: [number, T][]): [number, T][] {
  const byIndex = new Map(older)
  for (const [index, value] of newer) byIndex.set(index, value)
  return [...byIndex]
}

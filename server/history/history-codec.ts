/**
 * How one queue's quarter is stored in the history: a field "<quarter start ms>:<queue>" in
 * the hash of its UTC day, holding every counter and the quarter's calls waiting (most at
 * once, and at its end) as one JSON object. One field per quarter means one HSET replaces
 * the quarter whole, so a reader never sees old and new figures mixed, whichever of several
 * servers wrote last. All queues' calls waiting, not the sum of the queues', have the field
 * "<quarter start ms>:" with no queue name.
 */
import { COUNTER_KEYS, emptyCounters, type Counters } from '../../shared/figures.ts'

export const DAY_MS = 86_400_000

/** The UTC date (YYYY-MM-DD) whose hash holds the quarter starting at `start`. */
export function utcDay(start: number): string {
  return new Date(start - (start % DAY_MS)).toISOString().slice(0, 10)
}

/** The queue name of the all-queues field: none, which no queue has. */
export const ALL_QUEUES = ''

export function fieldOf(queue: string, start: number): string {
  return `${start}:${queue}`
}

/** Calls waiting in a quarter: the most at once, and how many at its end. */
export interface QuarterWaiting {
  peak: number
  atEnd: number
}

/** The quarter and queue of a field; null for a field this code did not write. */
export function parseField(field: string): { queue: string; start: number } | null {
  const colon = field.indexOf(':')
  const start = Number(field.slice(0, colon))
  if (colon < 1 || !Number.isSafeInteger(start)) return null
  return { queue: field.slice(colon + 1), start }
}

/** Every counter by name (a counter added later is one more key), then calls waiting. */
export function encodeQuarter(counters: Counters | null, waiting: QuarterWaiting | null): string {
  const out: Record<string, number> = {}
  if (counters !== null) for (const key of COUNTER_KEYS) out[key] = counters[key]
  if (waiting !== null) {
    out.waitingPeak = waiting.peak
    out.waitingAtEnd = waiting.atEnd
  }
  return JSON.stringify(out)
}

/** The calls waiting of a stored quarter; null when it was stored without them. */
export function decodeWaiting(json: string): QuarterWaiting | null {
  try {
    const { waitingPeak, waitingAtEnd } = JSON.parse(json) as Record<string, unknown>
    if (typeof waitingPeak !== 'number' || typeof waitingAtEnd !== 'number') return null
    return { peak: waitingPeak, atEnd: waitingAtEnd }
  } catch {
    return null
  }
}

/** Counters of a stored quarter; a counter missing (written before it existed) reads 0. */
export function decodeCounters(json: string): Counters | null {
  let stored: unknown
  try {
    stored = JSON.parse(json)
  } catch {
    return null
  }
  if (typeof stored !== 'object' || stored === null) return null

  const counters = emptyCounters()
  for (const key of COUNTER_KEYS) {
    const value = (stored as Record<string, unknown>)[key]
    if (typeof value === 'number' && Number.isFinite(value)) counters[key] = value
  }
  return counters
}

/**
 * How one queue's quarter is stored in the history: a field "<quarter start ms>:<queue>" in
 * the hash of its UTC day, holding every counter as one JSON object. One field per quarter
 * means one HSET replaces the quarter whole, so a reader never sees old and new counters
 * mixed, whichever of several servers wrote last.
 */
import { COUNTER_KEYS, emptyCounters, type Counters } from '../../shared/figures.ts'

export const DAY_MS = 86_400_000

/** The UTC date (YYYY-MM-DD) whose hash holds the quarter starting at `start`. */
export function utcDay(start: number): string {
  return new Date(start - (start % DAY_MS)).toISOString().slice(0, 10)
}

export function fieldOf(queue: string, start: number): string {
  return `${start}:${queue}`
}

/** The quarter and queue of a field; null for a field this code did not write. */
export function parseField(field: string): { queue: string; start: number } | null {
  const colon = field.indexOf(':')
  const start = Number(field.slice(0, colon))
  if (colon < 1 || !Number.isSafeInteger(start)) return null
  return { queue: field.slice(colon + 1), start }
}

/** Every counter by name: a counter added later is simply one more key. */
export function encodeCounters(counters: Counters): string {
  const out: Record<string, number> = {}
  for (const key of COUNTER_KEYS) out[key] = counters[key]
  return JSON.stringify(out)
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

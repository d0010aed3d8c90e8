/**
 * The per-quarter history in Redis: one hash per UTC day, each field one queue's quarter.
 * A day's hash expires CALLBOARD_HISTORY_DAYS after the day ends, set on every write, so
 * Redis forgets old history by itself and every writer sets the same expiry.
 */
import type { Redis } from 'ioredis'
import type { Counters } from '../../shared/figures.ts'
import type { Keys } from '../store/keys.ts'
import {
  DAY_MS,
  decodeCounters,
  decodeWaiting,
  encodeQuarter,
  fieldOf,
  parseField,
  utcDay,
  type QuarterWaiting,
} from './history-codec.ts'

/** One queue's quarter; queue ALL_QUEUES ('') holds all queues' calls waiting alone. */
export interface QuarterRecord {
  queue: string
  start: number
  /** null when only calls waiting changed in a quarter with no call counted. */
  counters: Counters | null
  waiting: QuarterWaiting | null
}

export class HistoryStore {
  readonly #redis: Redis
  readonly #keys: Keys
  readonly days: number

  constructor(redis: Redis, keys: Keys, days: number) {
    this.#redis = redis
    this.#keys = keys
    this.days = days
  }

  /** The earliest instant history still holds at `now`. */
  horizon(now: number): number {
    return now - this.days * DAY_MS
  }

  /**
   * Writes quarters, each whole. Quarters of a day already past its expiry are left out
   * (an old file imported today); returns how many were.
   */
  async write(records: readonly QuarterRecord[], now: number): Promise<number> {
    const byDay = new Map<string, { end: number; fields: string[] }>()
    let tooOld = 0

    for (const { queue, start, counters, waiting } of records) {
      const dayStart = start - (start % DAY_MS)
      const expiresAt = dayStart + DAY_MS + this.days * DAY_MS
      if (expiresAt <= now) {
        tooOld += 1
        continue
      }
      const day = utcDay(start)
      let entry = byDay.get(day)
      if (entry === undefined) {
        entry = { end: expiresAt, fields: [] }
        byDay.set(day, entry)
      }
      entry.fields.push(fieldOf(queue, start), encodeQuarter(counters, waiting))
    }
    if (byDay.size === 0) return tooOld

    const pipeline = this.#redis.pipeline()
    for (const [day, { end, fields }] of byDay) {
      const key = this.#keys.history(day)
      pipeline.hset(key, ...fields)
      pipeline.expire(key, Math.ceil((end - now) / 1000))
    }
    const results = (await pipeline.exec()) ?? []
    const failed = results.find(([error]) => error !== null)
    if (failed) throw failed[0]
    return tooOld
  }

  /** Every quarter stored with a start in [start, end). */
  async read(start: number, end: number): Promise<QuarterRecord[]> {
    const pipeline = this.#redis.pipeline()
    for (let day = start - (start % DAY_MS); day < end; day += DAY_MS) {
      pipeline.hgetall(this.#keys.history(utcDay(day)))
    }
    const results = (await pipeline.exec()) ?? []
    const records: QuarterRecord[] = []

    for (const [error, hash] of results) {
      if (error !== null) throw error
      for (const [field, json] of Object.entries(hash as Record<string, string>)) {
        const where = parseField(field)
        if (where === null || where.start < start || where.start >= end) continue
        records.push({ ...where, counters: decodeCounters(json), waiting: decodeWaiting(json) })
      }
    }
    return records
  }
}

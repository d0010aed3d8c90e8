/**
 * A day's figures per interval for the managers' charts and table. Today is fetched once
 * a minute, and again when the live figures move, at most every few seconds, so the
 * charts follow the wall; a past day, read from the history, is fetched once.
 */
import type { IntervalsToday } from '../../shared/intervals.ts'

const REFRESH_MS = 60_000
const LEAST_GAP_MS = 5_000

export class Intervals {
  #data = $state.raw<IntervalsToday | null>(null)
  /** The server's reason when the day asked for cannot be shown (not in the history). */
  #error = $state<string | null>(null)
  /** The local date shown, YYYY-MM-DD; null for today. */
  #date = $state<string | null>(null)
  #timer: ReturnType<typeof setInterval> | undefined
  #pending: ReturnType<typeof setTimeout> | undefined
  #lastAt = 0
  /** Answers to an earlier choice of day, arriving late, are dropped. */
  #asked = 0

  get data(): IntervalsToday | null {
    return this.#data
  }

  get error(): string | null {
    return this.#error
  }

  get date(): string | null {
    return this.#date
  }

  start(): void {
    this.stop()
    void this.#fetch()
    this.#timer = setInterval(() => {
      if (this.#date === null) void this.#fetch()
    }, REFRESH_MS)
  }

  stop(): void {
    clearInterval(this.#timer)
    clearTimeout(this.#pending)
    this.#pending = undefined
  }

  /** Shows a past day (YYYY-MM-DD), or today again with null. */
  show(date: string | null): void {
    if (date === this.#date) return
    this.#date = date
    this.#data = null
    this.#error = null
    void this.#fetch()
  }

  /** The live figures changed: fetch today soon, but not more often than every few seconds. */
  changed(): void {
    if (this.#pending !== undefined || this.#date !== null) return
    const wait = Math.max(0, this.#lastAt + LEAST_GAP_MS - Date.now())
    this.#pending = setTimeout(() => {
      this.#pending = undefined
      void this.#fetch()
    }, wait)
  }

  async #fetch(): Promise<void> {
    this.#lastAt = Date.now()
    const date = this.#date
    const asked = ++this.#asked
    const url =
      date === null
        ? '/api/v1/intervals/today'
        : `/api/v1/intervals?date=${encodeURIComponent(date)}`
    try {
      const response = await fetch(url)
      const body = (await response.json()) as IntervalsToday & { error?: string }
      if (asked !== this.#asked) return
      if (!response.ok) {
        if (date !== null) this.#error = body.error ?? String(response.status)
        return
      }
      if (Array.isArray(body.intervals)) this.#data = body
    } catch {
      // The charts wait for the next refresh; the table above stays live meanwhile.
    }
  }
}

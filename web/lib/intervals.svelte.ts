/**
 * Today's figures per interval for the managers' charts: fetched once a minute, and again
 * when the live figures move, at most every few seconds, so the charts follow the wall.
 */
import type { IntervalsToday } from '../../shared/intervals.ts'

const REFRESH_MS = 60_000
const LEAST_GAP_MS = 5_000

export class Intervals {
  #data = $state.raw<IntervalsToday | null>(null)
  #timer: ReturnType<typeof setInterval> | undefined
  #pending: ReturnType<typeof setTimeout> | undefined
  #lastAt = 0

  get data(): IntervalsToday | null {
    return this.#data
  }

  start(): void {
    this.stop()
    void this.#fetch()
    this.#timer = setInterval(() => void this.#fetch(), REFRESH_MS)
  }

  stop(): void {
    clearInterval(this.#timer)
    clearTimeout(this.#pending)
    this.#pending = undefined
  }

  /** The live figures changed: fetch soon, but not more often than every few seconds. */
  changed(): void {
    if (this.#pending !== undefined) return
    const wait = Math.max(0, this.#lastAt + LEAST_GAP_MS - Date.now())
    this.#pending = setTimeout(() => {
      this.#pending = undefined
      void this.#fetch()
    }, wait)
  }

  async #fetch(): Promise<void> {
    this.#lastAt = Date.now()
    try {
      const response = await fetch('/api/v1/intervals/today')
      if (!response.ok) return
      const body = (await response.json()) as IntervalsToday
      if (Array.isArray(body.intervals)) this.#data = body
    } catch {
      // The charts wait for the next refresh; the table above stays live meanwhile.
    }
  }
}

/**
 * A JSON answer that follows the live figures: fetched when its address changes, again
 * when the figures move (at most every few seconds) and once a minute regardless. Answers
 * that arrive after the address changed are dropped, so a slow one never overwrites.
 */
const REFRESH_MS = 60_000
const LEAST_GAP_MS = 5_000

export class LiveFetch<T> {
  #data = $state.raw<T | null>(null)
  #failed = $state(false)
  #url: string | null = null
  #timer: ReturnType<typeof setInterval> | undefined
  #pending: ReturnType<typeof setTimeout> | undefined
  #lastAt = 0

  constructor(readonly accept: (body: unknown) => body is T) {}

  get data(): T | null {
    return this.#data
  }

  /** Whether the last fetch failed; the last good answer is kept meanwhile. */
  get failed(): boolean {
    return this.#failed
  }

  /** Starts following `url`; a new address drops the old answer at once. */
  follow(url: string): void {
    if (url !== this.#url) this.#data = null
    this.#url = url
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
    if (this.#pending !== undefined || this.#url === null) return
    const wait = Math.max(0, this.#lastAt + LEAST_GAP_MS - Date.now())
    this.#pending = setTimeout(() => {
      this.#pending = undefined
      void this.#fetch()
    }, wait)
  }

  async #fetch(): Promise<void> {
    const url = this.#url
    if (url === null) return
    this.#lastAt = Date.now()

    try {
      const response = await fetch(url)
      const body: unknown = response.ok ? await response.json() : null
      if (url !== this.#url) return
      this.#failed = !this.accept(body)
      if (this.accept(body)) this.#data = body
    } catch {
      if (url === this.#url) this.#failed = true
    }
  }
}

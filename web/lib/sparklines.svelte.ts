/**
 * Today's service level per queue for the sparklines, fetched from the server once a
 * minute and whenever an incident opens or closes (which moves its marks).
 */
import type { ServiceLevelToday } from '../../shared/alerts.ts'

const REFRESH_MS = 60_000

export class Sparklines {
  #data = $state.raw<ServiceLevelToday | null>(null)
  readonly #url: string
  #timer: ReturnType<typeof setInterval> | undefined
  #inFlight = false
  #again = false

  /** `queues`: those the wall shows, so the server sums the total over the same ones. */
  constructor(queues: string[] | null) {
    const query = queues === null ? '' : `?${new URLSearchParams({ queues: queues.join(',') })}`
    this.#url = `/api/v1/service-level/today${query}`
  }

  get data(): ServiceLevelToday | null {
    return this.#data
  }

  start(): void {
    this.stop()
    void this.refresh()
    this.#timer = setInterval(() => void this.refresh(), REFRESH_MS)
  }

  stop(): void {
    clearInterval(this.#timer)
  }

  /** Fetches now; asked while a fetch is on its way, fetches again once it is back. */
  async refresh(): Promise<void> {
    if (this.#inFlight) {
      this.#again = true
      return
    }
    this.#inFlight = true
    try {
      const response = await fetch(this.#url)
      if (response.ok) this.#data = (await response.json()) as ServiceLevelToday
    } catch {
      // The sparklines are the least of the wall; the next refresh tries again.
    } finally {
      this.#inFlight = false
    }
    if (this.#again) {
      this.#again = false
      await this.refresh()
    }
  }
}

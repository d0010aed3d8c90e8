/**
 * One ticking clock for the whole wall, so the header clock, data ages and longest
 * waits all turn over on the same second.
 */
export class Clock {
  #now = $state(Date.now())
  #timer: ReturnType<typeof setTimeout> | undefined

  /** Epoch ms, refreshed just after each whole second. */
  get now(): number {
    return this.#now
  }

  start(): void {
    this.stop()
    this.#tick()
  }

  stop(): void {
    clearTimeout(this.#timer)
    this.#timer = undefined
  }

  // Re-aimed at the next whole second each time: setInterval drifts, and a clock that
  // changes 700 ms after the seconds hand on the wall next to it looks broken.
  #tick = (): void => {
    const now = Date.now()
    this.#now = now
    this.#timer = setTimeout(this.#tick, 1000 - (now % 1000) + 5)
  }
}

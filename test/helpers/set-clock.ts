/**
 * A clock for a server under test that starts at a chosen instant and runs on in real
 * time, so timers still fire; `set` moves it, e.g. past midnight or a week on.
 */
export interface SetClock {
  now(): number
  set(iso: string): void
}

export function clockAt(iso: string): SetClock {
  let offset = Date.parse(iso) - Date.now()
  return {
    now: () => Date.now() + offset,
    set(to: string) {
      offset = Date.parse(to) - Date.now()
    },
  }
}

/**
 * A screen's token. It comes once in the address (`?token=…`, or from pairing at /pair),
 * is kept in localStorage and taken out of the address, and is traded at each page load
 * for the server's session cookie: the browser then sends it with every fetch, socket and
 * download of the page, so nothing else in the wall needs to know about tokens.
 */
const STORAGE_KEY = 'callboard.token'

export type Session = 'open' | 'refused'

// What is used of the page's Location, History and localStorage: tests pass their own.
interface Address {
  href: string
  pathname: string
  search: string
}
interface PageHistory {
  state: unknown
  replaceState(state: unknown, unused: string, url: string): void
}
interface TokenStorage {
  getItem(key: string): string | null
  setItem(key: string, value: string): void
  removeItem(key: string): void
}

/** Keeps a `?token=` of the address and removes it, so it is not bookmarked or shown. */
export function adoptToken(location: Address, history: PageHistory, storage: TokenStorage) {
  const url = new URL(location.href)
  const token = url.searchParams.get('token')
  if (token === null) return

  if (token !== '') storage.setItem(STORAGE_KEY, token)
  url.searchParams.delete('token')
  history.replaceState(history.state, '', `${url.pathname}${url.search}${url.hash}`)
}

export function storeToken(storage: TokenStorage, token: string): void {
  storage.setItem(STORAGE_KEY, token)
}

export function storedToken(storage: TokenStorage): string | null {
  return storage.getItem(STORAGE_KEY)
}

/**
 * Opens the page's session with the stored token. Refused: the server wants a token and
 * this one is missing, unknown or revoked (then it is forgotten). A server that cannot
 * be reached counts as open: the page starts, and its socket retries until it can.
 */
export async function openSession(storage: TokenStorage): Promise<Session> {
  const token = storedToken(storage)
  let response: Response
  try {
    response = await fetch('/api/v1/auth/session', {
      method: 'POST',
      headers: token === null ? {} : { authorization: `Bearer ${token}` },
    })
  } catch {
    return 'open'
  }

  if (response.status !== 401) return 'open'
  storage.removeItem(STORAGE_KEY)
  return 'refused'
}

/** The pairing page, coming back to `here` once paired. */
export function pairingAddress(here: Address): string {
  return `/pair?${new URLSearchParams({ next: `${here.pathname}${here.search}` })}`
}

/**
 * The role of this page's session, so a page offers only what its holder may do. With
 * access control off the server answers as an admin. Null when it cannot be read: the
 * page then offers everything and the server refuses what is not allowed.
 */
export async function readRole(): Promise<string | null> {
  try {
    const response = await fetch('/api/v1/auth/me')
    if (!response.ok) return null
    const me = (await response.json()) as { role?: unknown }
    return typeof me.role === 'string' ? me.role : null
  } catch {
    return null
  }
}

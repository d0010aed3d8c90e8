import { describe, expect, it } from 'vitest'
import { adoptToken, pairingAddress, storedToken } from '../../web/lib/access.ts'

/** The little of Location, History and Storage that access.ts uses. */
function page(href: string) {
  const url = new URL(href)
  const items = new Map<string, string>()
  const storage = {
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, value),
    removeItem: (key: string) => void items.delete(key),
  }
  const history = {
    state: null,
    replaceState: (_state: unknown, _unused: string, to: string) => {
      url.href = new URL(to, url).href
    },
  }
  return { location: url, history, storage, url }
}

describe('the screen token', () => {
  it('is taken out of the address into storage, other parameters kept', () => {
    const { location, history, storage, url } = page('http://tv:8300/?window=today&token=cb_x#a')
    adoptToken(location, history, storage)

    expect(storedToken(storage)).toBe('cb_x')
    expect(url.href).toBe('http://tv:8300/?window=today#a')
  })

  it('is left as it was when the address has none', () => {
    const { location, history, storage, url } = page('http://tv:8300/agents?team=north')
    storage.setItem('callboard.token', 'cb_kept')
    adoptToken(location, history, storage)

    expect(storedToken(storage)).toBe('cb_kept')
    expect(url.href).toBe('http://tv:8300/agents?team=north')
  })

  it('sends an unpaired screen to /pair, to come back to the same page', () => {
    const { location } = page('http://tv:8300/agents?team=north')
    expect(pairingAddress(location)).toBe('/pair?next=%2Fagents%3Fteam%3Dnorth')
  })
})

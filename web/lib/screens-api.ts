/**
 * The managers' page's calls to the screens API: list, save (from the revision read, so a
 * change made meanwhile by someone else is not overwritten) and remove.
 */
import type { Screen, ScreenLayoutInput } from '../../shared/screens.ts'
import { callJson as call, type Outcome } from './json-call.ts'

export type { Outcome, Refusal } from './json-call.ts'

export async function listScreens(): Promise<Outcome<Screen[]>> {
  return call<Screen[]>('GET', '/api/v1/screens')
}

export function readScreen(name: string): Promise<Outcome<Screen>> {
  return call<Screen>('GET', `/api/v1/screens/${encodeURIComponent(name)}`)
}

export function saveScreen(
  name: string,
  layout: ScreenLayoutInput,
  revision: number | undefined,
  by: string,
): Promise<Outcome<Screen>> {
  const body = { ...layout, ...(revision === undefined ? {} : { revision }), ...(by ? { by } : {}) }
  return call<Screen>('PUT', `/api/v1/screens/${encodeURIComponent(name)}`, body)
}

export function deleteScreen(name: string): Promise<Outcome<null>> {
  return call<null>('DELETE', `/api/v1/screens/${encodeURIComponent(name)}`)
}

/** Who is changing things, as the page asked once for incidents (IncidentList). */
export function rememberedName(): string {
  try {
    return localStorage.getItem('callboard.by')?.trim() ?? ''
  } catch {
    return ''
  }
}

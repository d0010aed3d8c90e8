/**
 * The managers' page's calls to the screens API: list, save (from the revision read, so a
 * change made meanwhile by someone else is not overwritten) and remove.
 */
import type { Screen, ScreenLayoutInput } from '../../shared/screens.ts'

/** The server's refusal: its message and, for a bad field, the field's path. */
export interface Refusal {
  error: string
  /** The HTTP status; 0 when the server could not be reached. */
  status?: number
  field?: string
  /** After a 409: the revision someone else saved meanwhile. */
  revision?: number
  /** Every wrong field of a refused layout, each with what was wrong with it. */
  problems?: { field: string; message: string }[]
}

export type Outcome<T> = { ok: true; value: T } | ({ ok: false } & Refusal)

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

async function call<T>(method: string, path: string, body?: unknown): Promise<Outcome<T>> {
  try {
    const response = await fetch(path, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    if (response.status === 204) return { ok: true, value: null as T }

    const answer = (await response.json().catch(() => ({}))) as Record<string, unknown>
    if (response.ok) return { ok: true, value: answer as T }
    const error = typeof answer.error === 'string' ? answer.error : `HTTP ${response.status}`
    const field = typeof answer.field === 'string' ? answer.field : undefined
    const revision = typeof answer.revision === 'number' ? answer.revision : undefined
    const problems = Array.isArray(answer.errors)
      ? (answer.errors as unknown[]).filter(isProblem)
      : undefined
    return {
      ok: false,
      error,
      status: response.status,
      ...(field === undefined ? {} : { field }),
      ...(revision === undefined ? {} : { revision }),
      ...(problems === undefined ? {} : { problems }),
    }
  } catch (error) {
    return { ok: false, error: (error as Error).message, status: 0 }
  }
}

function isProblem(value: unknown): value is { field: string; message: string } {
  const problem = value as { field?: unknown; message?: unknown } | null
  return typeof problem?.field === 'string' && typeof problem.message === 'string'
}

/**
 * The managers' page's calls to the settings API: read, save from the version read (a
 * change made meanwhile by someone else is refused, not overwritten), and the audit trail.
 */
import type { Settings, StoredSettings } from '../../shared/settings.ts'

/** One wrong field as the server named it, e.g. `queues.Sales.targetPercent`. */
export interface FieldProblem {
  field: string
  message: string
}

export interface AuditEntry {
  version: number
  at: number
  by: { name: string; role: string }
  changes: { field: string; before: unknown; after: unknown }[]
}

/** A refusal: status 0 when the server could not be reached. */
export interface Refused {
  ok: false
  status: number
  error: string
  problems: FieldProblem[]
  /** After a 409: the version someone else saved meanwhile. */
  version?: number
}

export type Outcome<T> = { ok: true; value: T } | Refused

export function readSettings(): Promise<Outcome<StoredSettings>> {
  return call<StoredSettings>('GET', '/api/v1/settings')
}

export function saveSettings(settings: Settings, version: number) {
  return call<StoredSettings>('PUT', '/api/v1/settings', { ...settings, version })
}

export function readAudit(): Promise<Outcome<{ entries: AuditEntry[] }>> {
  return call<{ entries: AuditEntry[] }>('GET', '/api/v1/settings/audit')
}

async function call<T>(method: string, path: string, body?: unknown): Promise<Outcome<T>> {
  try {
    const response = await fetch(path, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    const answer = (await response.json().catch(() => ({}))) as Record<string, unknown>
    if (response.ok) return { ok: true, value: answer as T }

    const error = typeof answer.error === 'string' ? answer.error : `HTTP ${response.status}`
    const problems = Array.isArray(answer.errors) ? (answer.errors as FieldProblem[]) : []
    const refused: Refused = { ok: false, status: response.status, error, problems }
    if (typeof answer.version === 'number') refused.version = answer.version
    return refused
  } catch (error) {
    return { ok: false, status: 0, error: (error as Error).message, problems: [] }
  }
}

/**
 * The managers' page's calls to the settings API: read, save from the version read (a
 * change made meanwhile by someone else is refused, not overwritten), and the audit trail.
 */
import type { Settings, StoredSettings } from '../../shared/settings.ts'
import { callJson as call, type Outcome } from './json-call.ts'

export type { FieldProblem, Outcome, Refusal } from './json-call.ts'

export interface AuditEntry {
  version: number
  at: number
  by: { name: string; role: string }
  changes: { field: string; before: unknown; after: unknown }[]
}

export function readSettings(): Promise<Outcome<StoredSettings>> {
  return call<StoredSettings>('GET', '/api/v1/settings')
}

export function saveSettings(settings: Settings, version: number) {
  return call<StoredSettings>('PUT', '/api/v1/settings', { ...settings, version })
}

export function readAudit(): Promise<Outcome<{ entries: AuditEntry[] }>> {
  return call<{ entries: AuditEntry[] }>('GET', '/api/v1/settings/audit')
}

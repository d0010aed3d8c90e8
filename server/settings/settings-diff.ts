/**
 * What a change of the settings changed, field by field, for the audit trail:
 * "queues.support.targetPercent: 80 → 85". A queue row added or removed is one change.
 */
import type { Settings } from '../../shared/settings.ts'

export interface SettingsChange {
  /** Dotted path, e.g. `site.tz`, `defaults.thresholdSeconds`, `queues.support`. */
  field: string
  /** null: there was none (a queue row added) or is none now (a row removed). */
  before: unknown
  after: unknown
}

export function diffSettings(before: Settings, after: Settings): SettingsChange[] {
  const changes: SettingsChange[] = []
  diffFlat('site', before.site, after.site, changes)
  diffFlat('defaults', before.defaults, after.defaults, changes)

  const names = new Set([...Object.keys(before.queues), ...Object.keys(after.queues)])
  for (const name of [...names].sort()) {
    const was = before.queues[name]
    const now = after.queues[name]

    if (was === undefined || now === undefined) {
      changes.push({ field: `queues.${name}`, before: was ?? null, after: now ?? null })
    } else {
      diffFlat(`queues.${name}`, was, now, changes)
    }
  }
  return changes
}

function diffFlat(path: string, before: object, after: object, into: SettingsChange[]): void {
  const was = before as Record<string, unknown>
  const now = after as Record<string, unknown>

  for (const key of Object.keys(now)) {
    if (was[key] !== now[key])
      into.push({ field: `${path}.${key}`, before: was[key], after: now[key] })
  }
}

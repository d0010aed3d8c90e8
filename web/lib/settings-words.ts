/**
 * What the Settings panel says from what the server sent: a refused save's summary beside
 * Save, and each change of the audit in words ("Sales · T: 20 s → 30 s") rather than the
 * path the server keeps (`queues.Sales.thresholdSeconds`).
 */
import type { QueueSettings, Settings } from '../../shared/settings.ts'
import type { FieldProblem } from './settings-api.ts'
import type { SettingsText } from './settings-text.ts'

const ROW_FIELDS = ['thresholdSeconds', 'targetPercent', 'variant', 'shortAbandonSeconds']
const SITE_FIELDS = ['tz', 'dayStart', 'intervalMinutes']

/** The paths of the fields the form has a control for, each of which shows its own error. */
export function formFields(settings: Settings): Set<string> {
  const rows = ['defaults', ...Object.keys(settings.queues).map((name) => `queues.${name}`)]
  return new Set([
    ...rows.flatMap((row) => ROW_FIELDS.map((field) => `${row}.${field}`)),
    ...SITE_FIELDS.map((field) => `site.${field}`),
  ])
}

/**
 * How many fields are wrong, since each says why beside itself; a problem with no control
 * of its own (a queue name too long, say) is said here in full, or nobody would see it.
 */
export function refusalSummary(
  problems: readonly FieldProblem[],
  fields: ReadonlySet<string>,
  text: SettingsText,
): string {
  const placed = problems.filter((problem) => fields.has(problem.field)).length
  const loose = problems
    .filter((problem) => !fields.has(problem.field))
    .map((problem) => `${text.refused}${problem.field}: ${problem.message}`)
  return [...(placed > 0 ? [text.wrongFields(placed)] : []), ...loose].join(' ')
}

export interface AuditChange {
  /** Dotted path: `site.tz`, `defaults.targetPercent`, `queues.Sales` (a row added). */
  field: string
  before: unknown
  after: unknown
}

/** "Default · target: 80 % → 85 %", "Sales · own settings: — → T 20 s, …". */
export function describeChange(change: AuditChange, text: SettingsText): string {
  const { where, key } = placeOf(change, text)
  const name = key === null ? text.changedRow : (nameOf(key, text) ?? key)
  const value = (seen: unknown) => valueWords(key, seen, text)
  return `${where} · ${name}: ${value(change.before)} → ${value(change.after)}`
}

/** Which row (or the site) a change is in, and its field; null for a whole queue row. */
function placeOf(change: AuditChange, text: SettingsText): { where: string; key: string | null } {
  const dot = change.field.indexOf('.')
  const [head, rest] = [change.field.slice(0, dot), change.field.slice(dot + 1)]
  if (head === 'site') return { where: text.changedSite, key: rest }
  if (head === 'defaults') return { where: text.changedDefault, key: rest }

  // A queue's name may hold dots itself; a whole row added or removed has an object on one
  // side, a changed field a plain value on both, and the field is after the last dot.
  const isRow = [change.before, change.after].some((side) => typeof side === 'object' && side)
  if (isRow) return { where: rest, key: null }
  const last = rest.lastIndexOf('.')
  return { where: rest.slice(0, last), key: rest.slice(last + 1) }
}

function nameOf(key: string, text: SettingsText): string | undefined {
  return (text.fieldNames as Record<string, string>)[key]
}

function valueWords(key: string | null, value: unknown, text: SettingsText): string {
  if (value === null || value === undefined) return text.none
  if (key === null) return rowWords(value as QueueSettings, text)

  switch (key) {
    case 'thresholdSeconds':
    case 'shortAbandonSeconds':
      return text.seconds(Number(value))
    case 'targetPercent':
      return `${String(value)} %`
    case 'intervalMinutes':
      return text.minutes(Number(value))
    default:
      return String(value)
  }
}

/** A whole queue row: "T 20 s, target 80 %, V2, S 0 s". */
function rowWords(row: QueueSettings, text: SettingsText): string {
  const names = text.fieldNames
  return [
    `${names.thresholdSeconds} ${text.seconds(row.thresholdSeconds)}`,
    `${names.targetPercent} ${row.targetPercent} %`,
    row.variant,
    `${names.shortAbandonSeconds} ${text.seconds(row.shortAbandonSeconds)}`,
  ].join(', ')
}

/**
 * An incident as Redis keeps it: a flat hash of strings, null written as the empty string,
 * so the Lua scripts can change one field without parsing JSON. Read back through zod,
 * as everything that enters a process is.
 */
import { z } from 'zod'
import { RULE_NAMES, SEVERITIES, type Incident } from '../../shared/alerts.ts'
import { WINDOWS } from '../../shared/windows.ts'

const number = z.string().transform(Number).pipe(z.number().finite())
const nullableNumber = z
  .string()
  .transform((text) => (text === '' ? null : Number(text)))
  .pipe(z.number().finite().nullable())
const nullableText = z.string().transform((text) => (text === '' ? null : text))

const IncidentFieldsSchema = z.object({
  id: z.string().min(1),
  key: z.string().min(1),
  rule: z.enum(RULE_NAMES),
  scope: z.enum(['queue', 'all', 'site', 'agent']),
  subject: nullableText,
  label: z.string(),
  severity: z.enum(SEVERITIES),
  state: z.enum(['open', 'resolved']),
  unit: z.enum(['percent', 'calls', 'seconds', 'minutes']),
  window: z
    .string()
    .transform((text) => (text === '' ? null : text))
    .pipe(z.enum(WINDOWS).nullable()),
  fire: number,
  clear: number,
  breachSince: number,
  openedAt: number,
  value: number,
  acknowledgedAt: nullableNumber,
  acknowledgedBy: nullableText,
  snoozedAt: nullableNumber,
  snoozedBy: nullableText,
  snoozedUntil: nullableNumber,
  resolvedAt: nullableNumber,
  resolvedValue: nullableNumber,
  notifications: number,
  nextRepeatAt: nullableNumber,
  rev: number,
}) satisfies z.ZodType<Incident, Record<keyof Incident, string>>

/** The hash fields of an incident, as [field, value, field, value, …]. */
export function encodeIncident(incident: Incident): string[] {
  return Object.entries(incident).flatMap(([field, value]) => [
    field,
    value === null ? '' : String(value),
  ])
}

/** An incident from its hash fields (an object, or a flat list as HGETALL in Lua returns). */
export function decodeIncident(fields: Record<string, string> | string[]): Incident | null {
  const record = Array.isArray(fields) ? pairs(fields) : fields
  const parsed = IncidentFieldsSchema.safeParse(record)
  return parsed.success ? parsed.data : null
}

function pairs(flat: string[]): Record<string, string> {
  const record: Record<string, string> = {}
  for (let i = 0; i + 1 < flat.length; i += 2) record[flat[i] as string] = flat[i + 1] as string
  return record
}

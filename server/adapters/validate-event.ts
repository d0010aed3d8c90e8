/**
 * The last gate of every adapter: what it built must be a canonical event. When it is not,
 * the sender learns the line, the field and zod's reason, with the value that was seen.
 */
import { CanonicalEventSchema, type CanonicalEvent } from '../../shared/events.ts'
import { InputError } from '../errors.ts'

/** Parses one event (defaults filled in, names trimmed) or throws an InputError for `line`. */
export function validateEvent(input: unknown, line: number): CanonicalEvent {
  const result = CanonicalEventSchema.safeParse(input)
  if (result.success) return result.data

  const issue = result.error.issues[0]
  if (issue === undefined) throw new InputError('not a canonical event', line)

  const field = issue.path.map(String).join('.')
  const message = withSeenValue(issue.message, valueAt(input, issue.path))

  throw new InputError(message, line, field === '' ? undefined : field)
}

/** Zod says what it expected; adding what it got saves the sender a look at the payload. */
function withSeenValue(message: string, value: unknown): string {
  if (value === undefined || typeof value === 'object') return message

  return `${message}, got ${describeValue(value)}`
}

/** A short, quoted rendering of a value for an error message. */
export function describeValue(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value)

  return text.length > 60 ? `${text.slice(0, 57)}...` : text
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined
    value = (value as Record<PropertyKey, unknown>)[key]
  }

  return value
}

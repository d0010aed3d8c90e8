/**
 * The last gate of every adapter: what it built must be a canonical event. When it is not,
 * the sender learns the line, the field and what was expected, with the value that was seen.
 */
import { CanonicalEventSchema, type CanonicalEvent } from '../../shared/events.ts'
import { InputError } from '../errors.ts'
import { fieldProblems, inWords } from '../zod-words.ts'

/** Where an event stands in a request: a line of the body, or an element of a JSON array. */
export type EventPlace = { line: number } | { event: number }

/** Parses one event (defaults filled in, names trimmed) or throws an InputError for `place`. */
export function validateEvent(input: unknown, place: EventPlace): CanonicalEvent {
  const result = CanonicalEventSchema.safeParse(input, { error: inWords })
  if (result.success) return result.data

  // The first problem only: one event is one line of a file, and its first fault the one
  // to fix. An unknown key is named as the field, the value seen follows what was expected.
  const line = 'line' in place ? place.line : undefined
  const event = 'event' in place ? place.event : undefined
  const [problem] = fieldProblems(result.error, input)
  if (problem === undefined) throw new InputError('not a canonical event', line, undefined, event)

  const field = problem.field === 'body' ? undefined : problem.field
  throw new InputError(problem.message, line, field, event)
}

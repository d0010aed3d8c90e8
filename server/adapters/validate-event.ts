/**
 * The last gate of every adapter: what it built must be a canonical event. When it is not,
 * the sender learns the line, the field and what was expected, with the value that was seen.
 */
import { CanonicalEventSchema, type CanonicalEvent } from '../../shared/events.ts'
import { InputError } from '../errors.ts'
import { fieldProblems, inWords } from '../zod-words.ts'

/** Parses one event (defaults filled in, names trimmed) or throws an InputError for `line`. */
export function validateEvent(input: unknown, line: number): CanonicalEvent {
  const result = CanonicalEventSchema.safeParse(input, { error: inWords })
  if (result.success) return result.data

  // The first problem only: one event is one line of a file, and its first fault the one
  // to fix. An unknown key is named as the field, the value seen follows what was expected.
  const [problem] = fieldProblems(result.error, input)
  if (problem === undefined) throw new InputError('not a canonical event', line)

  throw new InputError(problem.message, line, problem.field === 'body' ? undefined : problem.field)
}

/**
 * zod's own messages ("Too small: expected number to be >=5") read like a stack trace to
 * an admin fixing a form. This error map puts every issue a schema left without a message
 * of its own into words, and `fieldProblems` names each wrong field the way our 400s do:
 * one problem per unknown key, "required but missing" for a field left out, and the value
 * seen after what was expected. The map leaves the value out: a query's or an event's
 * reader adds the text it was sent (`"abc"`, not the NaN zod saw).
 */
import type { z } from 'zod'
import { FieldsError, type FieldProblem } from './errors.ts'

/** What zod calls a type, as a person would: "expected a number". */
const TYPE_WORDS: Record<string, string> = {
  number: 'a number',
  int: 'a whole number',
  string: 'text',
  boolean: 'true or false',
  array: 'a list',
  object: 'an object',
  record: 'an object',
  null: 'null',
}

/** Issues that, on a field left out, mean it is required. */
const MISSABLE = new Set(['invalid_type', 'invalid_value', 'invalid_union'])

/** The error map to pass to `safeParse(value, { error: inWords })`. */
export const inWords: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${TYPE_WORDS[issue.expected] ?? issue.expected}`
    case 'too_small':
      if (issue.origin === 'string' && Number(issue.minimum) === 1) return 'must not be empty'
      return `expected ${bound(issue, 'at least', 'more than')}`
    case 'too_big':
      return `expected ${bound(issue, 'at most', 'less than')}`
    case 'invalid_value':
      return `expected ${oneOf(issue.values)}`
    case 'invalid_format':
      return issue.format === 'regex'
        ? 'not in the expected form'
        : `expected ${issue.format === 'url' ? 'a URL' : `a valid ${issue.format}`}`
    case 'not_multiple_of':
      return `expected a multiple of ${String(issue.divisor)}`
    case 'unrecognized_keys':
      return unknownKeys(issue.inst)
    case 'invalid_key':
      return issue.issues.map((inner) => inner.message).join('; ')
    case 'invalid_union':
      return discriminatorWords(issue.inst) ?? 'not one of the forms this field takes'
    default:
      return 'not a value this field takes'
  }
}

/**
 * Every problem of a failed parse by the field it is in, for a 400 that names them all.
 * `input` is what was parsed: it tells a field left out from one of the wrong type.
 */
export function fieldProblems(error: z.ZodError, input: unknown): FieldProblem[] {
  return error.issues.flatMap((issue): FieldProblem[] => {
    const path = issue.path.map(String)

    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ field: [...path, key].join('.'), message: issue.message }))
    }
    if (issue.code === 'invalid_key') {
      // The key is the last step of the path; an empty one would make "queues." a field.
      const key = path.pop() ?? ''
      const seen = key.trim() === '' ? '' : `; got ${describeValue(key)}`
      return [{ field: path.join('.') || 'body', message: `${issue.message}${seen}` }]
    }

    const field = path.join('.') || 'body'
    const value = valueAt(input, path)
    if (MISSABLE.has(issue.code) && path.length > 0 && value === undefined) {
      return [{ field, message: `required but missing; ${issue.message}` }]
    }
    return [{ field, message: `${issue.message}${got(value, issue.message)}` }]
  })
}

/** The parsed value, or a FieldsError naming every wrong field. */
export function parseFields<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const parsed = schema.safeParse(input, { error: inWords })
  if (parsed.success) return parsed.data as z.infer<T>
  throw new FieldsError(fieldProblems(parsed.error, input))
}

/** A short, quoted rendering of a value for an error message. */
export function describeValue(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value)
  return text.length > 60 ? `${text.slice(0, 57)}...` : text
}

/**
 * ", got 120" after what was expected; nothing for a list or object, too long to repeat.
 * A form's emptied field arrives as null (a number input) or "" (a time input): "got null"
 * would name JSON, not what the admin did, so it is said as empty.
 */
function got(value: unknown, message: string): string {
  if (value === undefined || (typeof value === 'object' && value !== null)) return ''
  if (value === null || (typeof value === 'string' && value.trim() === '')) {
    return /\bempty\b/.test(message) ? '' : ', but the field is empty'
  }
  return `, got ${describeValue(value)}`
}

interface Bound {
  origin: string
  inclusive?: boolean
  minimum?: unknown
  maximum?: unknown
}

/** "at least 5", "more than 0", "at most 200 characters", "at least 1 item". */
function bound(issue: Bound, inclusiveWords: string, exclusiveWords: string): string {
  const limit = Number(issue.minimum ?? issue.maximum)
  const words = issue.inclusive === false ? exclusiveWords : inclusiveWords
  if (issue.origin === 'string') {
    return `${words} ${limit} characters`
  }
  if (issue.origin === 'array' || issue.origin === 'set') {
    return `${words} ${limit} ${limit === 1 ? 'item' : 'items'}`
  }
  return `${words} ${limit}`
}

function oneOf(values: readonly unknown[]): string {
  const shown = values.map((value) => JSON.stringify(value) ?? String(value))
  if (shown.length === 1) return shown[0] ?? ''
  return `one of ${shown.slice(0, -1).join(', ')} or ${shown.at(-1)}`
}

/** "unknown field; expected only site, defaults, queues", from the object's own shape. */
function unknownKeys(inst: unknown): string {
  const def = (inst as { _zod?: { def?: { shape?: object } } } | undefined)?._zod?.def
  const allowed = def?.shape === undefined ? [] : Object.keys(def.shape)
  return allowed.length === 0
    ? 'unknown field'
    : `unknown field; expected only ${allowed.join(', ')}`
}

/** 'expected kind "queues" or "agents"', for a discriminated union's unknown kind. */
function discriminatorWords(inst: unknown): string | undefined {
  type Def = { discriminator?: string; options?: { _zod: { def: { shape?: object } } }[] }
  const def = (inst as { _zod?: { def?: Def } } | undefined)?._zod?.def
  if (def?.discriminator === undefined || def.options === undefined) return undefined

  const key = def.discriminator
  const values = def.options.flatMap((option) => {
    const field = (option._zod.def.shape as Record<string, unknown> | undefined)?.[key]
    const literal = (field as { _zod?: { values?: Set<unknown> } } | undefined)?._zod?.values
    return literal === undefined ? [] : [...literal]
  })
  return values.length === 0
    ? undefined
    : `expected ${key} ${oneOf(values).replace(/^one of /, '')}`
}

function valueAt(input: unknown, path: readonly string[]): unknown {
  let value = input
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined
    value = (value as Record<string, unknown>)[key]
  }
  return value
}

/**
 * Query-string parsing shared by the routes: one way to read a comma-separated list, and
 * one error that names the parameter that is wrong and the value seen.
 */
import { DateTime } from 'luxon'
import { z } from 'zod'
import { InputError } from '../errors.ts'
import { inWords } from '../zod-words.ts'

/** `?date=2026-12-03`: a day that exists on the calendar, not only its shape. */
export const isoDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date like 2026-12-03')
  .refine((day) => DateTime.fromISO(day, { zone: 'UTC' }).isValid, 'no such day on the calendar')

/** `?queues=Sales, 报修热线` → ['Sales', '报修热线']; absent stays undefined. */
export const nameList = z
  .string()
  .max(10_000)
  .transform((value) =>
    value
      .split(',')
      .map((name) => name.trim())
      .filter(Boolean),
  )
  .optional()

export function parseQuery<T extends z.ZodType>(
  schema: T,
  query: Record<string, string | undefined>,
): z.infer<T> {
  const parsed = schema.safeParse(query, { error: inWords })
  if (parsed.success) return parsed.data as z.infer<T>

  const issue = parsed.error.issues[0]
  const field = String(issue?.path[0] ?? 'query')
  const seen = query[field]
  // zod words a missing parameter as a type error ("expected text").
  const message =
    seen === undefined
      ? 'required but missing'
      : `${issue?.message ?? 'invalid'}; got ${JSON.stringify(seen)}`
  throw new InputError(message, undefined, field)
}

/**
 * Query-string parsing shared by the routes: one way to read a comma-separated list, and
 * one error that names the parameter that is wrong and the value seen.
 */
import { z } from 'zod'
import { InputError } from '../errors.ts'

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
  const parsed = schema.safeParse(query)
  if (parsed.success) return parsed.data as z.infer<T>

  const issue = parsed.error.issues[0]
  const field = String(issue?.path[0] ?? 'query')
  const message = `${issue?.message ?? 'invalid'}; got ${JSON.stringify(query[field])}`
  throw new InputError(message, undefined, field)
}

/**
 * Read endpoints: the figures of a window, and today's interval report.
 */
import { Hono } from 'hono'
import { z } from 'zod'
import { WINDOWS } from '../../shared/windows.ts'
import { principalOf } from '../auth/access.ts'
import { scopeQueues } from '../auth/scope.ts'
import { InputError } from '../errors.ts'
import type { LiveFigures } from '../live/live-figures.ts'
import { reportRoutes } from './report-routes.ts'

export const SubscriptionQuerySchema = z.object({
  window: z.enum(WINDOWS).default('today'),
  queues: z
    .string()
    .max(10_000)
    .transform((list) =>
      list
        .split(',')
        .map((name) => name.trim())
        .filter(Boolean),
    )
    .optional(),
})

/** Parses ?window=…&queues=a,b, naming the parameter that is wrong. */
export function parseSubscription(query: Record<string, string | undefined>) {
  const parsed = SubscriptionQuerySchema.safeParse(query)
  if (parsed.success) return parsed.data

  const issue = parsed.error.issues[0]
  const field = String(issue?.path[0] ?? 'query')
  throw new InputError(
    `${issue?.message ?? 'invalid'}; got ${JSON.stringify(query[field])}`,
    undefined,
    field,
  )
}

export function readRoutes(live: LiveFigures): Hono {
  const app = new Hono()

  app.get('/snapshot', (c) => {
    const { window, queues } = parseSubscription(c.req.query())
    return c.json(live.snapshot(window, scopeQueues(principalOf(c), queues)))
  })
  app.route('/', reportRoutes(live))
  return app
}

/**
 * The calls behind a figure: GET /calls?queue=Q&window=today lists a queue's visits of the
 * window with what each counts for in the service level, and the totals.
 */
import { Hono } from 'hono'
import { z } from 'zod'
import { WINDOWS } from '../../shared/windows.ts'
import { principalOf } from '../auth/access.ts'
import { scopeQueues } from '../auth/scope.ts'
import { listCalls } from '../calls/call-list.ts'
import type { LiveFigures } from '../live/live-figures.ts'
import type { EventStore } from '../store/event-store.ts'
import { parseQuery } from './query.ts'

const CallsQuerySchema = z.object({
  queue: z.string({ message: 'expected a queue name' }).trim().min(1).max(200),
  window: z.enum(WINDOWS).default('today'),
  limit: z.coerce.number().int().min(1).max(2000).default(2000),
})

export function callRoutes(deps: { live: LiveFigures; store: EventStore }): Hono {
  const app = new Hono()

  app.get('/calls', async (c) => {
    const { queue, window, limit } = parseQuery(CallsQuerySchema, c.req.query())
    const allowed = scopeQueues(principalOf(c), [queue])
    if (allowed !== undefined && !allowed.includes(queue)) {
      return c.json({ error: `queue ${queue} is outside this token's scope` }, 403)
    }

    return c.json(await listCalls({ ...deps, queue, window, limit }))
  })
  return app
}

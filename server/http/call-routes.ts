/**
 * The calls behind a figure: GET /calls?queue=Q&window=today lists a queue's visits of the
 * window with what each counts for in the service level, and the totals.
 */
import { Hono } from 'hono'
import { z } from 'zod'
import type { CallList } from '../../shared/calls.ts'
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
  const inFlight = new Map<string, Promise<CallList>>()

  app.get('/calls', async (c) => {
    const { queue, window, limit } = parseQuery(CallsQuerySchema, c.req.query())
    const allowed = scopeQueues(principalOf(c), [queue])
    if (allowed !== undefined && !allowed.includes(queue)) {
      return c.json({ error: `queue ${queue} is outside this token's scope` }, 403)
    }

    // Managers asking at once for the same list share one replay of the stream.
    const key = JSON.stringify([queue, window, limit, deps.live.streamId])
    let answer = inFlight.get(key)
    if (answer === undefined) {
      answer = listCalls({ ...deps, queue, window, limit }).finally(() => inFlight.delete(key))
      inFlight.set(key, answer)
    }
    return c.json(await answer)
  })
  return app
}

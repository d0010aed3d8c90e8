/**
 * Today's staffing series for the managers' charts: GET /intraday?queue=Q gives calls
 * waiting and occupancy per interval, of one queue or of all the caller may see.
 */
import { Hono } from 'hono'
import { z } from 'zod'
import { limitsOf } from '../auth/roles.ts'
import { principalOf } from '../auth/access.ts'
import { scopeAgentFilter } from '../auth/scope.ts'
import type { LiveFigures } from '../live/live-figures.ts'
import { intradayToday } from '../report/intraday.ts'
import { parseQuery } from './query.ts'

const IntradayQuerySchema = z.object({
  queue: z.string().trim().min(1).max(200).optional(),
})

export function intradayRoutes(live: LiveFigures): Hono {
  const app = new Hono()

  app.get('/intraday', (c) => {
    const at = live.now()
    const { queue } = parseQuery(IntradayQuerySchema, c.req.query())
    const principal = principalOf(c)
    const scope = limitsOf(principal)?.queues
    if (queue !== undefined && scope !== undefined && !scope.includes(queue)) {
      return c.json({ error: `queue ${queue} is outside this token's scope` }, 403)
    }

    const agents = scopeAgentFilter(principal, queue === undefined ? {} : { queues: [queue] })
    // The peaks of all queues together cannot be cut down to a scope's queues.
    const showWaiting = queue !== undefined || scope === undefined
    return c.json(intradayToday(live, at, { queue: queue ?? null, agents, showWaiting }))
  })
  return app
}

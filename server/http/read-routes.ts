/**
 * Read endpoints: the figures of a window, and the interval report of a day.
 */
import { Hono } from 'hono'
import { z } from 'zod'
import { nameList, parseQuery } from './query.ts'
import { WINDOWS } from '../../shared/windows.ts'
import { principalOf } from '../auth/access.ts'
import { scopeQueues } from '../auth/scope.ts'
import type { HistoryReports } from '../history/history-reports.ts'
import type { LiveFigures } from '../live/live-figures.ts'
import { reportRoutes } from './report-routes.ts'

export const SubscriptionQuerySchema = z.object({
  window: z.enum(WINDOWS).default('today'),
  queues: nameList,
})

/** Parses ?window=…&queues=a,b, naming the parameter that is wrong. */
export function parseSubscription(query: Record<string, string | undefined>) {
  return parseQuery(SubscriptionQuerySchema, query)
}

export function readRoutes(live: LiveFigures, reports: HistoryReports): Hono {
  const app = new Hono()

  app.get('/snapshot', (c) => {
    const { window, queues } = parseSubscription(c.req.query())
    return c.json(live.snapshot(window, scopeQueues(principalOf(c), queues)))
  })
  app.route('/', reportRoutes(reports))
  return app
}

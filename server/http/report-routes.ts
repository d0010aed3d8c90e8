/**
 * Today's interval report: as JSON for the managers' charts, and as CSV to download.
 */
import { Hono } from 'hono'
import { z } from 'zod'
import { nameList, parseQuery } from './query.ts'
import { principalOf } from '../auth/access.ts'
import { scopeQueues } from '../auth/scope.ts'
import type { LiveFigures } from '../live/live-figures.ts'
import { intervalsToday } from '../report/intervals-today.ts'
import { reportCsv } from '../report/report-csv.ts'

// Only today for now: past days need the history the engine does not keep (README).
const ReportQuerySchema = z.object({
  date: z.literal('today').default('today'),
  queues: nameList,
})

export function reportRoutes(live: LiveFigures, now: () => number = Date.now): Hono {
  const app = new Hono()

  app.get('/intervals/today', (c) => {
    const { queues } = parseQuery(ReportQuerySchema, c.req.query())
    return c.json(intervalsToday(live, now(), scopeQueues(principalOf(c), queues)))
  })

  app.get('/report.csv', (c) => {
    const { queues } = parseQuery(ReportQuerySchema, c.req.query())
    const report = intervalsToday(live, now(), scopeQueues(principalOf(c), queues))
    c.header('content-type', 'text/csv; charset=utf-8')
    c.header('content-disposition', `attachment; filename="callboard-${report.date}.csv"`)
    return c.body(reportCsv(report))
  })
  return app
}

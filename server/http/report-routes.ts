/**
 * The interval report of a day: as JSON for the managers' charts, and as CSV to download.
 * Today comes from the live engine, a past day from the history (CALLBOARD_HISTORY_DAYS).
 */
import { Hono, type Context } from 'hono'
import { z } from 'zod'
import type { IntervalsToday } from '../../shared/intervals.ts'
import { nameList, parseQuery } from './query.ts'
import { principalOf } from '../auth/access.ts'
import { scopeQueues } from '../auth/scope.ts'
import { StoreUnavailableError } from '../errors.ts'
import { isRealDate, type DayAnswer, type HistoryReports } from '../history/history-reports.ts'
import { reportCsv } from '../report/report-csv.ts'
import { isConnectionError } from '../store/event-store.ts'

const DateSchema = z
  .string()
  .regex(/^(today|\d{4}-\d{2}-\d{2})$/, 'expected today or a date as YYYY-MM-DD')
  .refine((date) => date === 'today' || isRealDate(date), 'expected a real calendar date')
  .default('today')

const ReportQuerySchema = z.object({ date: DateSchema, queues: nameList })
const TodayQuerySchema = z.object({ queues: nameList })

export function reportRoutes(reports: HistoryReports): Hono {
  const app = new Hono()

  app.get('/intervals/today', async (c) => {
    const { queues } = parseQuery(TodayQuerySchema, c.req.query())
    return answer(c, await dayOf(c, reports, 'today', queues), (report) => c.json(report))
  })

  app.get('/intervals', async (c) => {
    const { date, queues } = parseQuery(ReportQuerySchema, c.req.query())
    return answer(c, await dayOf(c, reports, date, queues), (report) => c.json(report))
  })

  app.get('/report.csv', async (c) => {
    const { date, queues } = parseQuery(ReportQuerySchema, c.req.query())
    return answer(c, await dayOf(c, reports, date, queues), (report) => {
      c.header('content-type', 'text/csv; charset=utf-8')
      c.header('content-disposition', `attachment; filename="callboard-${report.date}.csv"`)
      return c.body(reportCsv(report))
    })
  })
  return app
}

/** The day's report within the caller's scope, exactly as for the live figures. */
async function dayOf(
  c: Context,
  reports: HistoryReports,
  date: string,
  queues: readonly string[] | undefined,
): Promise<DayAnswer> {
  try {
    return await reports.day(date, scopeQueues(principalOf(c), queues))
  } catch (error) {
    if (isConnectionError(error)) throw new StoreUnavailableError('Redis is unavailable')
    throw error
  }
}

function answer(c: Context, day: DayAnswer, send: (report: IntervalsToday) => Response): Response {
  if ('missing' in day) return c.json({ error: day.missing, field: 'date' }, 404)
  return send(day.report)
}

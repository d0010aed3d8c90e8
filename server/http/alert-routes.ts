/**
 * Alert endpoints: open incidents and their history, acknowledging and snoozing, the rules
 * in force and the rules set through the API, and today's service level per queue with
 * where incidents opened and closed (the wall's sparklines).
 */
import { Hono, type Context } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { z } from 'zod'
import { nameList, parseQuery } from './query.ts'
import { RULE_NAMES } from '../../shared/alerts.ts'
import { AlertLayerSchema, parseAlertDocument } from '../alerts/alert-rules.ts'
import type { AlertService } from '../alerts/alert-service.ts'
import { serviceLevelToday } from '../alerts/service-level-today.ts'
import { principalOf } from '../auth/access.ts'
import { limitsOf } from '../auth/roles.ts'
import { scopeQueues } from '../auth/scope.ts'
import { InputError } from '../errors.ts'
import type { LiveFigures } from '../live/live-figures.ts'

export interface AlertRoutesDeps {
  alerts: AlertService
  live: LiveFigures
  now?: () => number
}

const RULES_BODY_BYTES = 256 * 1024
const DAY_MS = 86_400_000
const HISTORY_SCAN = 1000

/** Epoch ms, or an ISO 8601 time such as 2026-12-03T08:00:00+08:00. */
const Time = z.string().transform((text, context) => {
  const ms = /^\d+$/.test(text) ? Number(text) : Date.parse(text)
  if (Number.isNaN(ms)) {
    context.addIssue({ code: 'custom', message: 'expected epoch ms or an ISO 8601 time' })
    return z.NEVER
  }
  return ms
})

const HistoryQuerySchema = z.object({
  state: z.enum(['open', 'resolved', 'all']).default('all'),
  from: Time.optional(),
  to: Time.optional(),
  queue: z.string().min(1).max(200).optional(),
  rule: z.enum(RULE_NAMES).optional(),
  limit: z
    .string()
    .regex(/^\d+$/, 'expected a whole number')
    .transform(Number)
    .pipe(z.number().min(1).max(1000))
    .default(100),
})

const MarkSchema = z
  .object({
    /** Who did it, as they want to appear in the history. */
    by: z.string().trim().min(1).max(100),
  })
  .strict()

const SnoozeSchema = MarkSchema.extend({
  minutes: z
    .number()
    .min(1)
    .max(24 * 60),
}).strict()

const QueuesQuerySchema = z.object({ queues: nameList })

export function alertRoutes(deps: AlertRoutesDeps): Hono {
  const app = new Hono()
  const { alerts } = deps
  const now = deps.now ?? Date.now
  const limit = bodyLimit({
    maxSize: RULES_BODY_BYTES,
    onError: (c) => c.json({ error: `body larger than ${RULES_BODY_BYTES} bytes` }, 413),
  })

  app.get('/incidents', async (c) => {
    const query = parseQuery(HistoryQuerySchema, c.req.query())
    const to = query.to ?? now()
    const from = query.from ?? to - DAY_MS
    // Filters apply to the newest 1000 of the range, then the limit to what passes them.
    const filtered = query.state !== 'all' || query.queue !== undefined || query.rule !== undefined
    const found =
      query.state === 'open'
        ? alerts.openIncidents().reverse()
        : await alerts.store.history(from, to, filtered ? HISTORY_SCAN : query.limit)

    const incidents = found.filter(
      (incident) =>
        (query.state === 'all' || incident.state === query.state) &&
        (query.queue === undefined || incident.subject === query.queue) &&
        (query.rule === undefined || incident.rule === query.rule),
    )
    return c.json({ from, to, incidents: incidents.slice(0, query.limit) })
  })

  app.get('/incidents/:id', async (c) => {
    const incident = await alerts.store.get(c.req.param('id'))
    return incident === null ? c.json({ error: 'no such incident' }, 404) : c.json(incident)
  })

  app.post('/incidents/:id/acknowledge', limit, async (c) => {
    const { by } = parseBody(MarkSchema, await readJson(c))
    return answer(c, await alerts.acknowledge(c.req.param('id'), by))
  })

  app.post('/incidents/:id/snooze', limit, async (c) => {
    const { by, minutes } = parseBody(SnoozeSchema, await readJson(c))
    return answer(c, await alerts.snooze(c.req.param('id'), by, minutes))
  })

  app.get('/alert-rules', (c) =>
    c.json({
      stored: alerts.storedRules,
      effective: { ...alerts.book, webhooks: alerts.book.webhooks.map(redactHook) },
    }),
  )

  app.put('/alert-rules', limit, async (c) => {
    const layer = parseAlertDocument(AlertLayerSchema, await readJson(c))
    const book = await alerts.saveRules(layer)
    return c.json({
      stored: layer,
      effective: { ...book, webhooks: book.webhooks.map(redactHook) },
    })
  })

  app.get('/service-level/today', async (c) => {
    const { queues } = parseQuery(QueuesQuerySchema, c.req.query())
    const principal = principalOf(c)
    const shown = scopeQueues(principal, queues)
    const today = await serviceLevelToday(deps.live, alerts, now(), shown)
    // The all-queues incidents tell of queues beyond a queue-limited viewer's scope.
    if (limitsOf(principal)?.queues !== undefined) today.total.incidents = []
    return c.json(today)
  })
  return app
}

type MarkResult = Awaited<ReturnType<AlertService['acknowledge']>>

function answer(c: Context, result: MarkResult): Response {
  if (result.status === 'missing') return c.json({ error: 'no such incident' }, 404)
  if (result.status === 'resolved') {
    return c.json({ error: 'the incident is resolved already', incident: result.incident }, 409)
  }
  return c.json(result.incident)
}

/** Chat robots carry their access token in the URL; the API shows only where they post. */
function redactHook<T extends { url: string }>(hook: T): T {
  try {
    return { ...hook, url: `${new URL(hook.url).origin}/…` }
  } catch {
    return hook
  }
}

async function readJson(c: Context): Promise<unknown> {
  const text = await c.req.text()
  try {
    return JSON.parse(text)
  } catch (error) {
    throw new InputError(`not valid JSON: ${(error as Error).message}`)
  }
}

function parseBody<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  return parseAlertDocument(schema, value)
}

/**
 * The HTTP application: API routes, the WebSocket endpoint and the built wall, with one
 * place that turns errors into answers.
 */
import { upgradeWebSocket } from '@hono/node-server'
import { serveStatic } from '@hono/node-server/serve-static'
import { Hono } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { WebSocket } from 'ws'
import type { AlertService } from '../alerts/alert-service.ts'
import { InputError, StoreUnavailableError } from '../errors.ts'
import type { Hub, Subscription } from '../live/hub.ts'
import type { LiveFigures } from '../live/live-figures.ts'
import type { Logger } from '../logger.ts'
import type { AgentConfigStore } from '../store/agent-config-store.ts'
import type { EventStore } from '../store/event-store.ts'
import { agentRoutes, parseAgentQuery } from './agent-routes.ts'
import { alertRoutes } from './alert-routes.ts'
import { ingestRoutes } from './ingest-routes.ts'
import { parseSubscription, readRoutes } from './read-routes.ts'

export interface AppDeps {
  store: EventStore
  /** Where teams, roster, rules and schedules are written; no agent API without it. */
  agentStore?: AgentConfigStore
  live: LiveFigures
  hub: Hub
  /** Incidents and alert rules; no alert API and no alerts on the wall without it. */
  alerts?: AlertService
  logger: Logger
  maxBodyBytes: number
  webDir: string
  /** Whether Redis answers now, for /healthz. */
  redisUp(): boolean
}

export function createApp(deps: AppDeps): Hono {
  const app = new Hono()

  app.onError((error, c) => {
    if (error instanceof InputError) {
      return c.json({ error: error.detail, line: error.line, field: error.field }, 400)
    }
    if (error instanceof StoreUnavailableError) {
      c.header('Retry-After', '2')
      return c.json({ error: 'event store unavailable; nothing was stored, retry' }, 503)
    }
    if (error instanceof HTTPException) return error.getResponse()

    deps.logger.error({ event: 'request_failed', component: 'http', path: c.req.path, err: error })
    return c.json({ error: 'internal error' }, 500)
  })

  app.route('/api/v1', ingestRoutes({ store: deps.store, maxBodyBytes: deps.maxBodyBytes }))
  app.route('/api/v1', readRoutes(deps.live))
  if (deps.agentStore !== undefined) {
    const agentDeps = { live: deps.live, store: deps.agentStore, maxBodyBytes: deps.maxBodyBytes }
    app.route('/api/v1', agentRoutes(agentDeps))
  }
  if (deps.alerts !== undefined) {
    app.route('/api/v1', alertRoutes({ alerts: deps.alerts, live: deps.live }))
  }
  app.get('/healthz', (c) => {
    const redis = deps.redisUp()
    const body = { status: redis ? 'ok' : 'degraded', redis, streamId: deps.live.streamId }
    return c.json(body, redis ? 200 : 503)
  })

  const socket = (subscribe: (query: Record<string, string>) => Subscription) =>
    upgradeWebSocket((c) => {
      const subscription = subscribe(c.req.query())
      // Only a client that asks for them gets `alerts` messages, so none meets a type it
      // does not know.
      const alerts = c.req.query('alerts') === '1' ? deps.alerts : undefined
      let remove = () => {}

      return {
        onOpen: (_event, ws) => {
          const socket = ws.raw as WebSocket
          const leave = deps.hub.add(
            {
              // As text: the wall reads strings; ws sends a Buffer as binary unless told.
              send: (data) => socket.send(data, { binary: false }),
              bufferedAmount: () => socket.bufferedAmount,
            },
            subscription,
          )
          const stopAlerts = alerts?.addClient({ send: (data) => socket.send(data) })
          remove = () => {
            leave()
            stopAlerts?.()
          }
        },
        onClose: () => remove(),
        onError: () => remove(),
      }
    })
  app.get('/ws', socket(parseSubscription))
  app.get(
    '/ws/agents',
    socket((query) => {
      const { window, filter } = parseAgentQuery(query)
      return { window, agents: filter }
    }),
  )

  // Past the API routes, an /api path is a client's mistake, not a page of the wall.
  app.all('/api/*', (c) => c.json({ error: `no ${c.req.method} ${c.req.path}` }, 404))
  app.use('/*', serveStatic({ root: deps.webDir }))
  app.get('/*', serveStatic({ root: deps.webDir, path: 'index.html' }))
  return app
}

/**
 * The HTTP application: API routes, the WebSocket endpoints and the built wall, behind
 * secure headers and the access check, with one place that turns errors into answers.
 */
import { serveStatic } from '@hono/node-server/serve-static'
import { Hono } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { AlertService } from '../alerts/alert-service.ts'
import { accessControl } from '../auth/access.ts'
import type { Authenticator } from '../auth/authenticator.ts'
import type { RateLimiter } from '../auth/rate-limit.ts'
import type { TokenStore } from '../auth/token-store.ts'
import { FieldsError, InputError, StoreUnavailableError } from '../errors.ts'
import type { HistoryReports } from '../history/history-reports.ts'
import type { Hub } from '../live/hub.ts'
import type { LiveFigures } from '../live/live-figures.ts'
import type { Logger } from '../logger.ts'
import type { SettingsStore } from '../settings/settings-store.ts'
import type { AgentConfigStore } from '../store/agent-config-store.ts'
import { isCommandTimeout, isConnectionError, type EventStore } from '../store/event-store.ts'
import type { ScreenLive } from '../screens/screen-live.ts'
import { agentRoutes } from './agent-routes.ts'
import { alertRoutes } from './alert-routes.ts'
import { authRoutes } from './auth-routes.ts'
import { callRoutes } from './call-routes.ts'
import { ingestRoutes } from './ingest-routes.ts'
import { intradayRoutes } from './intraday-routes.ts'
import { readRoutes } from './read-routes.ts'
import { screenRoutes, screenSocketRoutes } from './screen-routes.ts'
import { settingsRoutes } from './settings-routes.ts'
import { wallHeaders } from './secure-headers.ts'
import { socketRoutes } from './socket-routes.ts'

export interface AppDeps {
  store: EventStore
  /** Where teams, roster, rules and schedules are written; no agent API without it. */
  agentStore?: AgentConfigStore
  live: LiveFigures
  /** Where the settings are written; no settings API without it. */
  settingsStore?: SettingsStore
  /** Interval reports of today and of the days the history holds. */
  reports: HistoryReports
  hub: Hub
  /** Incidents and alert rules; no alert API and no alerts on the wall without it. */
  alerts?: AlertService
  /** Screens' layouts (screen-routes.ts); no screens API without it. */
  screens?: ScreenLive
  logger: Logger
  maxBodyBytes: number
  webDir: string
  /** Whether Redis answers now, for /healthz. */
  redisUp(): boolean
  access: AppAccess
}

export interface AppAccess {
  /** null: access control is off, every caller may do everything. */
  auth: Authenticator | null
  tokens: TokenStore
  /** Browser origins allowed besides the server's own. */
  origins: readonly string[]
  /** Only requests naming a loopback host, or one of `hosts`, are served. */
  loopbackOnly: boolean
  hosts: readonly string[]
  /** Ingest requests per token; null: no limit (access control off). */
  ingestLimiter: RateLimiter | null
  pairingLimiter: RateLimiter
}

export function createApp(deps: AppDeps): Hono {
  const app = new Hono()

  app.onError((error, c) => {
    if (error instanceof FieldsError) {
      const errors = error.problems.slice(0, 100)
      return c.json({ error: error.detail, field: error.field, errors }, 400)
    }
    if (error instanceof InputError) {
      const { line, event, field } = error
      return c.json({ error: error.detail, line, event, field }, 400)
    }
    const unavailable = unavailableWords(error)
    if (unavailable !== null) {
      c.header('Retry-After', '2')
      return c.json({ error: unavailable }, 503)
    }
    if (error instanceof HTTPException) return error.getResponse()

    deps.logger.error({ event: 'request_failed', component: 'http', path: c.req.path, err: error })
    return c.json({ error: 'internal error' }, 500)
  })

  const { tokens, pairingLimiter, auth, origins, loopbackOnly, hosts } = deps.access
  app.use(wallHeaders())
  app.use(accessControl({ auth, origins, loopbackOnly, hosts, logger: deps.logger }))

  app.route('/api/v1', authRoutes({ tokens, pairingLimiter, auth }))
  app.route('/api/v1', callRoutes({ live: deps.live, store: deps.store }))
  app.route('/api/v1', intradayRoutes(deps.live))
  const ingestDeps = { store: deps.store, maxBodyBytes: deps.maxBodyBytes }
  app.route('/api/v1', ingestRoutes({ ...ingestDeps, limiter: deps.access.ingestLimiter }))
  app.route('/api/v1', readRoutes(deps.live, deps.reports))
  if (deps.settingsStore !== undefined) {
    app.route('/api/v1', settingsRoutes({ live: deps.live, store: deps.settingsStore }))
  }
  if (deps.agentStore !== undefined) {
    const agentDeps = { live: deps.live, store: deps.agentStore, maxBodyBytes: deps.maxBodyBytes }
    app.route('/api/v1', agentRoutes(agentDeps))
  }
  if (deps.alerts !== undefined) {
    app.route('/api/v1', alertRoutes({ alerts: deps.alerts, live: deps.live }))
  }
  if (deps.screens !== undefined) {
    app.route('/api/v1', screenRoutes(deps.screens))
    app.route('/', screenSocketRoutes(deps.screens))
  }
  app.get('/healthz', (c) => {
    const redis = deps.redisUp()
    const status = redis ? 'ok' : 'degraded'
    const counting = deps.live.counting()
    const body = { status, redis, streamId: deps.live.streamId, ...(counting && { counting }) }
    return c.json(body, redis ? 200 : 503)
  })

  app.route('/', socketRoutes({ hub: deps.hub, live: deps.live, alerts: deps.alerts }))

  // Past the API routes, an /api path is a client's mistake, not a page of the wall.
  app.all('/api/*', (c) => c.json({ error: `no ${c.req.method} ${c.req.path}` }, 404))
  app.use('/*', serveStatic({ root: deps.webDir }))
  app.get('/*', serveStatic({ root: deps.webDir, path: 'index.html' }))
  return app
}

/**
 * What a 503 says when Redis could not serve the request; null for any other error. The
 * stores turn a refused connection into StoreUnavailableError, but a route that reads Redis
 * through another module, or a command that timed out, arrives here unwrapped: it is
 * answered here, once for every route, rather than as a 500.
 */
function unavailableWords(error: unknown): string | null {
  if (error instanceof StoreUnavailableError || isConnectionError(error)) {
    return 'event store unavailable; nothing was stored, retry'
  }
  // Sent but not answered: Redis may still run it when it wakes. Re-sending is safe all the
  // same, since events already stored are dropped as duplicates.
  if (isCommandTimeout(error)) {
    return (
      'Redis did not answer in time; the request may still take effect: ' +
      'retry (events already stored are dropped)'
    )
  }
  return null
}

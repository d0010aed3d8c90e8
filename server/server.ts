/**
 * Wires a callboard server together: Redis connections, the event store, the live engine,
 * the WebSocket hub and the HTTP app, listening on the configured port.
 */
import { serve, type ServerType } from '@hono/node-server'
import { Redis } from 'ioredis'
import type { AddressInfo } from 'node:net'
import { WebSocketServer } from 'ws'
import { createLiveAlerts, targetPercent } from './alerts/live-alerts.ts'
import { loadAlertFile } from './alerts/rule-file.ts'
import { createAccess } from './auth/access-setup.ts'
import type { Config } from './config.ts'
import { createApp } from './http/app.ts'
import { AgentLive } from './live/agent-live.ts'
import { PartitionLeases } from './cluster/partition-leases.ts'
import { QueueCluster } from './cluster/queue-cluster.ts'
import { Hub } from './live/hub.ts'
import { recountQuarters } from './history/history-recount.ts'
import { HistoryReports } from './history/history-reports.ts'
import { HistoryStore } from './history/history-store.ts'
import { HistoryWriter } from './history/history-writer.ts'
import { LiveFigures } from './live/live-figures.ts'
import { LiveSettings } from './settings/live-settings.ts'
import { SettingsStore } from './settings/settings-store.ts'
import type { Logger } from './logger.ts'
import { AgentConfigStore } from './store/agent-config-store.ts'
import { EventStore } from './store/event-store.ts'
import { keysFor } from './store/keys.ts'
import { ScreenLive } from './screens/screen-live.ts'
import { ScreenStore } from './screens/screen-store.ts'
import { watchSilence } from './redis/silence-watch.ts'

export interface RunningServer {
  /** Base URL, e.g. http://127.0.0.1:8300 */
  url: string
  port: number
  live: LiveFigures
  close(): Promise<void>
}

export interface ServerOptions {
  /** The clock of the figures; tests move it across midnight. @default Date.now */
  now?: () => number
  /** How often known tokens are checked again; tests shorten it. @default 5000 */
  authRefreshMs?: number
}

export async function startServer(
  config: Config,
  redisUrl: string,
  logger: Logger,
  options: ServerOptions = {},
): Promise<RunningServer> {
  const keys = keysFor(config.keyPrefix)
  const alertFile = loadAlertFile(config.alertsFile, targetPercent(config))
  // Ingest fails fast while Redis is away (the sender retries on 503), never queues, and
  // gives up on a Redis that hangs with its connection open.
  const redis = new Redis(redisUrl, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
  })
  // No timeout here: a reader that hears nothing counts as stalled (StreamReader) instead.
  const reader = new Redis(redisUrl, { maxRetriesPerRequest: null })
  // The agent board reloads its configuration on this one, and waits for Redis rather than fail.
  const agentRedis = new Redis(redisUrl, { maxRetriesPerRequest: null })
  agentRedis.on('error', () => {})
  // The other processes' figures are followed on this one (XREAD BLOCK holds it).
  const followRedis = new Redis(redisUrl, { maxRetriesPerRequest: null })
  followRedis.on('error', () => {})
  // The stream reader reports its own failures; this only keeps ioredis from printing them.
  reader.on('error', () => {})
  watchRedis(redis, logger)
  const unwatch = [
    watchSilence(redis, 'requests', logger),
    watchSilence(reader, 'stream', logger),
    watchSilence(agentRedis, 'agents', logger),
    watchSilence(followRedis, 'figures', logger),
  ]
  const stopWatching = () => unwatch.forEach((stop) => stop())
  // For a start that fails before anything is built on the connections.
  const letGo = () => {
    stopWatching()
    for (const connection of [redis, reader, agentRedis, followRedis]) connection.disconnect()
  }

  try {
    await untilReady(redis, redisUrl)
  } catch (error) {
    letGo()
    throw error
  }

  // The port is taken before anything else: a process that cannot have it must stop before
  // it joins the others and takes queues from them. Until it is ready it answers 503.
  let handle: FetchHandler = starting
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 })
  const server = await listen((request, env) => handle(request, env), wss, config).catch(
    (error: Error) => {
      letGo()
      throw new Error(`cannot listen on HOST=${config.host} PORT=${config.port}: ${error.message}`)
    },
  )

  const store = new EventStore(redis, keys, { retentionHours: config.retentionHours })
  const { now } = options
  // A copy of our own: its site clock follows the stored settings (LiveSettings).
  const siteConfig: Config = { ...config }
  const settingsStore = new SettingsStore(redis, keys, logger)
  const settings = await LiveSettings.load(siteConfig, settingsStore, logger)
  const agents = new AgentLive({ config: siteConfig, redis: agentRedis, keys, logger, now })
  const cluster = new QueueCluster({
    leases: new PartitionLeases({ redis, keys, logger }),
    redis,
    followRedis,
    keys,
    logger,
  })
  const live = new LiveFigures({
    cluster,
    config: siteConfig,
    redis: reader,
    keys,
    logger,
    agents,
    now,
    settings,
  })
  const historyStore = new HistoryStore(redis, keys, config.historyDays)
  const history = new HistoryWriter({
    engine: live.engine,
    writes: (queue) => cluster.writesHistory(queue),
    store: historyStore,
    completeFrom: live.rebuiltFrom,
    now: () => live.now(),
    logger,
    recount: (from, until) =>
      recountQuarters(from, until, {
        redis,
        stream: keys.events,
        settings: live.engine.settings,
        counting: live.settings,
        retentionMs: config.retentionHours * 3_600_000,
        now: live.now(),
        toId: live.streamId,
      }),
  })
  const stuckMs = config.access.stuckSocketMs
  const hub = new Hub(live, { pushIntervalMs: config.pushIntervalMs, logger, stuckMs })
  const access = createAccess(config.access, redis, config.keyPrefix, logger, {
    refreshMs: options.authRefreshMs,
  })
  const alerts = createLiveAlerts({ config, redis, live, file: alertFile, logger })
  const screens = new ScreenLive(new ScreenStore(redis, keys, logger), logger)
  live.onEntries((entries) => screens.onEntries(entries))
  const app = createApp({
    store,
    agentStore: new AgentConfigStore(redis, keys, logger),
    live,
    settingsStore,
    reports: new HistoryReports(live, historyStore),
    hub,
    alerts,
    screens,
    logger,
    maxBodyBytes: config.maxBodyBytes,
    webDir: config.webDir,
    // Connected is not enough: a Redis that hangs keeps its connections open.
    redisUp: () => redis.status === 'ready' && live.connected,
    access: access.app,
  })

  // While it starts, the wall's own files are served (a TV reloading then gets its page,
  // which connects once the process is ready); whatever reads the figures waits.
  handle = (request, env) => (readsFigures(request) ? starting() : app.fetch(request, env))

  // Loaded before the stream is read, whose control events then keep the copy current.
  await screens.start()
  live.start()
  history.start()
  await live.ready
  await alerts.start()
  hub.start()
  handle = app.fetch

  const port = (server.address() as AddressInfo).port
  access.start()
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`
  logger.info({ event: 'server_started', component: 'http', url, tz: config.time.tz })

  return {
    url,
    port,
    live,
    async close() {
      hub.stop()
      screens.stop()
      await access.stop()
      for (const client of wss.clients) client.terminate()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await alerts.stop()
      await live.stop()
      // The last quarters written before Redis is let go of.
      await history.stop()
      stopWatching()
      redis.disconnect()
      agentRedis.disconnect()
      followRedis.disconnect()
      logger.info({ event: 'server_stopped', component: 'http' })
    },
  }
}

type FetchHandler = Parameters<typeof serve>[0]['fetch']

/** The API, the WebSockets and /healthz: what a starting server answers 503. */
function readsFigures(request: Request): boolean {
  return /^\/(api|ws)(\/|$)|^\/healthz$/.test(new URL(request.url).pathname)
}

/** What a request for the figures is answered while the server reads today's events. */
function starting(): Response {
  const body = JSON.stringify({ error: "starting: reading today's events from Redis" })
  const headers = { 'content-type': 'application/json', 'retry-after': '1' }
  return new Response(body, { status: 503, headers })
}

function listen(
  fetch: FetchHandler,
  wss: WebSocketServer,
  config: Config,
): Promise<ServerType & { address(): AddressInfo | string | null }> {
  return new Promise((resolve, reject) => {
    // A client that sends its request slowly, or never finishes it, is cut off.
    const timeout = config.access.requestTimeoutMs
    const serverOptions = {
      requestTimeout: timeout,
      headersTimeout: Math.min(timeout, HEADERS_TIMEOUT_MS),
      connectionsCheckingInterval: Math.min(timeout, HEADERS_TIMEOUT_MS) / 4,
    }
    const server = serve(
      {
        fetch,
        port: config.port,
        hostname: config.host,
        websocket: { server: wss },
        serverOptions,
      },
      () => resolve(server as ServerType & { address(): AddressInfo }),
    )
    server.once('error', reject)
  })
}

/**
 * How long a request's Redis command may go unanswered before the request is answered 503.
 * A healthy Redis answers within milliseconds, and even a 16 MB ingest request (one Lua
 * call) within about a second; a Redis that hangs would otherwise hold requests for as long
 * as it hangs, and store them after their sender gave up.
 */
export const REDIS_COMMAND_TIMEOUT_MS = 5000
const CONNECT_TIMEOUT_MS = 10_000
const HEADERS_TIMEOUT_MS = 10_000

/** Waits for the first connection, so that a wrong REDIS_URL stops start-up with a reason. */
function untilReady(redis: Redis, url: string): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve()

  return new Promise((resolve, reject) => {
    let lastError = 'no answer'
    const onError = (error: Error) => (lastError = error.message)
    const timer = setTimeout(() => {
      redis.off('error', onError)
      const shown = url.replace(/\/\/[^@/]*@/, '//***@')
      reject(new Error(`cannot reach Redis at ${shown} (REDIS_URL): ${lastError}`))
    }, CONNECT_TIMEOUT_MS)

    redis.on('error', onError)
    redis.once('ready', () => {
      clearTimeout(timer)
      redis.off('error', onError)
      resolve()
    })
  })
}

function watchRedis(redis: Redis, logger: Logger): void {
  let lost = false

  redis.on('ready', () => {
    logger.info({ event: lost ? 'redis_reconnected' : 'redis_connected', component: 'redis' })
    lost = false
  })
  redis.on('error', (error) => {
    if (lost) return
    lost = true
    logger.warn({ event: 'redis_lost', component: 'redis', err: error.message })
  })
}

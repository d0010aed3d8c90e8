/**
 * Finds a Redis for callboard, or starts one. A configured URL wins; then a Redis already
 * listening on the default port; otherwise a private `redis-server` child process keeps
 * its append-only file in the data directory, so `callboard demo` works on a bare laptop.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { mkdir, readFile, realpath, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { join, resolve } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { Redis } from 'ioredis'
import type { Logger } from '../logger.ts'

export interface RedisHandle {
  url: string
  /** True when this process is responsible for the server and `stop()` shuts it down. */
  started: boolean
  /** True for our own server found running from an earlier start, perhaps a live `serve`'s. */
  adopted?: boolean
  /** Process id of the `redis-server` this process started (tests stop and resume it). */
  pid?: number
  stop(): Promise<void>
}

export interface StartRedisOptions {
  dataDir: string
  logger: Logger
  /** @default a free port on 127.0.0.1 */
  port?: number
  /** @default 'redis-server' (looked up on PATH) */
  executable?: string
  /** How long the server may take to answer PING. @default 10000 */
  readyTimeoutMs?: number
}

const DEFAULTS = {
  url: 'redis://127.0.0.1:6379',
  executable: 'redis-server',
  readyTimeoutMs: 10_000,
  stopTimeoutMs: 10_000,
  probeTimeoutMs: 500,
}

const LOG_FILE = 'redis.log'
/** Which port our server listens on, so a server orphaned by a killed process is reused. */
const STATE_FILE = 'callboard-redis.json'

const NOT_INSTALLED =
  'callboard needs Redis 7: install it (`sudo apt-get install redis-server` on Debian/Ubuntu, ' +
  '`brew install redis` on macOS) or set REDIS_URL to a running server.'

/**
 * The Redis to use: `url` as given, else one answering on 127.0.0.1:6379, else our own
 * `redis-server` started with its data in `dataDir`.
 */
export async function ensureRedis(opts: {
  url?: string
  dataDir: string
  logger: Logger
  executable?: string
}): Promise<RedisHandle> {
  const log = opts.logger.child({ component: 'redis' })

  if (opts.url !== undefined) {
    log.info(
      { event: 'redis_found', url: redactUrl(opts.url), source: 'configured' },
      'using Redis',
    )
    return { url: opts.url, started: false, stop: async () => {} }
  }

  if (await answersPing(DEFAULTS.url, DEFAULTS.probeTimeoutMs)) {
    log.info({ event: 'redis_found', url: DEFAULTS.url, source: 'default_port' }, 'using Redis')
    return { url: DEFAULTS.url, started: false, stop: async () => {} }
  }

  return startRedisServer({
    dataDir: opts.dataDir,
    logger: opts.logger,
    executable: opts.executable,
  })
}

/** Starts a private `redis-server` with AOF persistence in `dataDir` and waits until it answers. */
export async function startRedisServer(opts: StartRedisOptions): Promise<RedisHandle> {
  const log = opts.logger.child({ component: 'redis' })
  const dataDir = resolve(opts.dataDir)
  await mkdir(dataDir, { recursive: true })

  const orphan = await findOrphan(dataDir)
  if (orphan) {
    log.info({ event: 'redis_found', url: orphan.url, source: 'orphan' }, 'reusing our Redis')
    return orphan
  }

  const port = opts.port ?? (await freePort())
  const url = `redis://127.0.0.1:${port}`
  const startedAt = Date.now()
  const child = await spawnServer(opts.executable ?? DEFAULTS.executable, dataDir, port)

  // A crash of ours should not leave the server running with nobody to stop it.
  const killOnExit = () => child.kill('SIGTERM')
  process.once('exit', killOnExit)

  try {
    await waitUntilReady(child, url, dataDir, opts.readyTimeoutMs ?? DEFAULTS.readyTimeoutMs)
  } catch (err) {
    process.off('exit', killOnExit)
    await stopChild(child)
    throw err
  }

  await writeFile(join(dataDir, STATE_FILE), JSON.stringify({ port, pid: child.pid }))
  log.info(
    { event: 'redis_started', url, pid: child.pid, dataDir, ms: Date.now() - startedAt },
    'started redis-server',
  )

  const stop = async () => {
    process.off('exit', killOnExit)
    await stopChild(child)
    log.info({ event: 'redis_stopped', url, pid: child.pid }, 'stopped redis-server')
  }
  return { url, started: true, pid: child.pid, stop: runOnce(stop) }
}

async function spawnServer(executable: string, dataDir: string, port: number) {
  const args = [
    ['--bind', '127.0.0.1'],
    ['--port', String(port)],
    ['--dir', dataDir],
    ['--appendonly', 'yes'],
    ['--save', ''],
    ['--logfile', join(dataDir, LOG_FILE)],
    ['--daemonize', 'no'],
  ].flat()
  const child = spawn(executable, args, { stdio: ['ignore', 'ignore', 'pipe'] })

  // Config errors go to stderr before the log file is open; keep the last few for the message.
  const stderr: string[] = []
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr.push(chunk)
    if (stderr.length > 20) stderr.shift()
  })
  stderrOf.set(child, stderr)

  try {
    await once(child, 'spawn')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new Error(NOT_INSTALLED)
    throw new Error(`cannot run ${executable}: ${(err as Error).message}`, { cause: err })
  }
  return child
}

const stderrOf = new WeakMap<ChildProcess, string[]>()

async function waitUntilReady(
  child: ChildProcess,
  url: string,
  dataDir: string,
  timeoutMs: number,
) {
  const deadline = Date.now() + timeoutMs

  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      const how = child.exitCode !== null ? `code ${child.exitCode}` : child.signalCode
      throw new Error(`redis-server exited (${how}) before answering.${await tail(child, dataDir)}`)
    }

    // Another server may hold the port; only our own process counts as ready.
    if ((await serverPid(url)) === child.pid) return
    await sleep(100)
  }

  throw new Error(
    `redis-server did not answer PING on ${url} within ${timeoutMs} ms.` +
      (await tail(child, dataDir)),
  )
}

/** The last lines the server wrote, for an error message the user can act on. */
async function tail(child: ChildProcess, dataDir: string): Promise<string> {
  const file = join(dataDir, LOG_FILE)
  const logged = await readFile(file, 'utf8').catch(() => '')
  const lines = (logged + (stderrOf.get(child) ?? []).join(''))
    .split('\n')
    .filter((line) => line.trim() !== '')
    .slice(-15)

  return lines.length > 0 ? `\nLast lines of ${file} and stderr:\n${lines.join('\n')}` : ''
}

async function stopChild(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null) return

  const exited = once(child, 'exit')
  // SIGTERM makes Redis fsync the append-only file and exit cleanly.
  child.kill('SIGTERM')

  const timedOut = await Promise.race([
    exited.then(() => false),
    sleep(DEFAULTS.stopTimeoutMs).then(() => true),
  ])
  if (timedOut) {
    child.kill('SIGKILL')
    await exited
  }
}

/**
 * A server we started earlier on this directory that is still running (our process was
 * killed without stopping it). Starting a second one would have two servers append to the
 * same AOF, so it is adopted instead.
 */
async function findOrphan(dataDir: string): Promise<RedisHandle | undefined> {
  const saved = await readFile(join(dataDir, STATE_FILE), 'utf8').catch(() => undefined)
  const port = saved === undefined ? undefined : Number(JSON.parse(saved).port)
  if (port === undefined || !Number.isInteger(port)) return undefined

  const url = `redis://127.0.0.1:${port}`
  const dir = await withClient(url, DEFAULTS.probeTimeoutMs, async (client) => {
    const reply = (await client.config('GET', 'dir')) as string[]
    return reply[1]
  }).catch(() => undefined)
  if (dir === undefined || dir !== (await realpath(dataDir))) return undefined

  const stop = async () => {
    // The connection drops as the server exits, so the command's own reply never arrives;
    // whether it worked shows in PING going unanswered.
    await withClient(url, DEFAULTS.probeTimeoutMs, (client) => client.shutdown()).catch(() => {})

    const deadline = Date.now() + DEFAULTS.stopTimeoutMs
    while ((await answersPing(url, DEFAULTS.probeTimeoutMs)) && Date.now() < deadline) {
      await sleep(100)
    }
  }
  return { url, started: true, adopted: true, stop: runOnce(stop) }
}

/** True when a Redis answers PONG at `url` within `timeoutMs`; never retries. */
export async function answersPing(url: string, timeoutMs: number): Promise<boolean> {
  return withClient(url, timeoutMs, async (client) => (await client.ping()) === 'PONG').catch(
    () => false,
  )
}

async function serverPid(url: string): Promise<number | undefined> {
  const info = await withClient(url, DEFAULTS.probeTimeoutMs, (client) =>
    client.info('server'),
  ).catch(() => '')
  const pid = /^process_id:(\d+)/m.exec(info)?.[1]
  return pid === undefined ? undefined : Number(pid)
}

async function withClient<T>(
  url: string,
  timeoutMs: number,
  use: (client: Redis) => Promise<T>,
): Promise<T> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
  })
  // Failures surface through the rejected promise; without a listener ioredis prints them.
  client.on('error', () => {})

  try {
    await client.connect()
    return await use(client)
  } finally {
    client.disconnect()
  }
}

async function freePort(): Promise<number> {
  const server = createServer()
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')

  const address = server.address()
  server.close()
  if (address === null || typeof address === 'string') throw new Error('no TCP port was assigned')
  return address.port
}

function redactUrl(url: string): string {
  return url.replace(/\/\/([^@/]*)@/, '//***@')
}

function runOnce(fn: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined
  return () => (running ??= fn())
}

/**
 * A callboard server in a child process of its own (`node bin/callboard.js serve`),
 * configured by environment as in production. The multi-process test and the benchmark
 * use it: one can be killed with SIGKILL, and its CPU is not the test's or the bench's.
 * Nothing here imports vitest, so the bench can use it too.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { readFileSync } from 'node:fs'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'

const ENTRY = fileURLToPath(new URL('../../bin/callboard.js', import.meta.url))

export interface ServerProcessOptions {
  redisUrl: string
  prefix: string
  /** More CALLBOARD_* settings; log level info, zone UTC and access control off unless set. */
  env?: Record<string, string>
  /** Flags for node itself, e.g. --cpu-prof to profile the server under load. */
  nodeArgs?: string[]
  /** How long start-up may take. @default 30000 */
  timeoutMs?: number
}

/** One log line of the child, as pino wrote it. */
export type LogLine = Record<string, unknown> & { event?: string }

export class ServerProcess {
  readonly url: string
  readonly child: ChildProcess
  readonly #logs: LogLine[]

  private constructor(url: string, child: ChildProcess, logs: LogLine[]) {
    this.url = url
    this.child = child
    this.#logs = logs
  }

  /** Starts the server and resolves once it listens (after its rebuild from Redis). */
  static async start(options: ServerProcessOptions): Promise<ServerProcess> {
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), ENTRY, 'serve'], {
      env: {
        PATH: process.env.PATH,
        PORT: '0',
        REDIS_URL: options.redisUrl,
        CALLBOARD_PREFIX: options.prefix,
        CALLBOARD_TZ: 'UTC',
        CALLBOARD_LOG_LEVEL: 'info',
        CALLBOARD_AUTH: 'off',
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const logs = collectLogs(child)
    const url = await waitForStart(child, logs, options.timeoutMs ?? 30_000)

    return new ServerProcess(url, child, logs)
  }

  get pid(): number {
    return this.child.pid ?? 0
  }

  get wsUrl(): string {
    return this.url.replace(/^http/, 'ws')
  }

  /** Log lines written so far with this `event` name. */
  logged(event: string): LogLine[] {
    return this.#logs.filter((line) => line.event === event)
  }

  /** Resident memory of the process now, in bytes (Linux). */
  rssBytes(): number {
    const status = readFileSync(`/proc/${this.pid}/status`, 'utf8')
    const kib = /VmRSS:\s+(\d+) kB/.exec(status)?.[1]
    if (kib === undefined) throw new Error(`no VmRSS in /proc/${this.pid}/status`)
    return Number(kib) * 1024
  }

  /** SIGKILL: no shutdown code runs, as when a machine dies. */
  async kill(): Promise<void> {
    await this.#signal('SIGKILL')
  }

  /** SIGTERM: the server closes its sockets and Redis connections. */
  async stop(): Promise<void> {
    await this.#signal('SIGTERM')
  }

  async #signal(signal: NodeJS.Signals): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return
    const exited = once(this.child, 'exit')
    this.child.kill(signal)
    await exited
  }
}

/** Keeps the JSON log lines (and the text of any other) of a child; the pipes never fill. */
function collectLogs(child: ChildProcess): LogLine[] {
  const logs: LogLine[] = []
  const keep = (text: string) => {
    try {
      logs.push(JSON.parse(text) as LogLine)
    } catch {
      logs.push({ text })
    }
    // A long run logs a line per WebSocket client; the start-up lines are the ones we need.
    if (logs.length > 50_000) logs.splice(1000, 10_000)
  }

  if (child.stdout) createInterface({ input: child.stdout }).on('line', keep)
  if (child.stderr) createInterface({ input: child.stderr }).on('line', keep)
  return logs
}

async function waitForStart(child: ChildProcess, logs: LogLine[], timeoutMs: number) {
  const deadline = Date.now() + timeoutMs

  while (Date.now() < deadline) {
    const started = logs.find((line) => line.event === 'server_started')
    if (typeof started?.url === 'string') return started.url

    if (child.exitCode !== null || child.signalCode !== null) break
    await new Promise((resolve) => setTimeout(resolve, 20))
  }

  child.kill('SIGKILL')
  const last = logs.slice(-10).map((line) => JSON.stringify(line))
  throw new Error(`callboard serve did not start within ${timeoutMs} ms:\n${last.join('\n')}`)
}

/**
 * Server configuration, read once from the environment at start-up, validated, and
 * handed to the rest of the code as a typed object. Nothing else reads process.env.
 */
import { DateTime, IANAZone } from 'luxon'
import { z } from 'zod'
import type { TimeSettings } from '../shared/windows.ts'

export interface Config {
  port: number
  host: string
  /** Unset: use 127.0.0.1:6379 when it answers, else start our own redis-server. */
  redisUrl: string | undefined
  /** Prefix of every Redis key; also the cluster hash tag, so all keys share a slot. */
  keyPrefix: string
  time: TimeSettings
  thresholdSeconds: number
  target: number
  maxBodyBytes: number
  retentionHours: number
  /** Days the per-quarter history of every queue is kept in Redis. */
  historyDays: number
  maxWaitMinutes: number
  pushIntervalMs: number
  logLevel: string
  dataDir: string
  webDir: string
  /** The alert rules file (JSON); none: the built-in rules and those set through the API. */
  alertsFile: string | undefined
  access: AccessSettings
}

export interface AccessSettings {
  /** Off: no tokens asked for, anyone who reaches the port may do anything. */
  enabled: boolean
  /** An admin token that lives in the environment, to make the first tokens with. */
  adminToken: string | undefined
  /** Browser origins allowed besides the server's own. */
  origins: string[]
  /**
   * Listening on loopback only: a request must name a loopback host, so that a page whose
   * name was re-pointed at 127.0.0.1 (DNS rebinding) cannot reach an open server.
   */
  loopbackOnly: boolean
  /** Host names served besides loopback ones, e.g. a TLS proxy's that passes its Host on. */
  hosts: string[]
  /** Ingest requests a second per token, and how many may come at once. */
  ingestPerSecond: number
  ingestBurst: number
  /** A request must have arrived whole within this time. */
  requestTimeoutMs: number
  /** A WebSocket client this long too far behind is closed. */
  stuckSocketMs: number
}

const int = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, 'expected a whole number')
    .transform(Number)
    .pipe(z.number().min(min).max(max))

const EnvSchema = z.object({
  PORT: int(0, 65535).default(8300),
  HOST: z.string().min(1).default('127.0.0.1'),
  REDIS_URL: z.string().url().optional(),
  CALLBOARD_PREFIX: z
    .string()
    .regex(/^[\w.-]+$/, 'expected letters, digits, _ . or -')
    .default('callboard'),
  CALLBOARD_TZ: z
    .string()
    .refine((zone) => IANAZone.isValidZone(zone), 'expected an IANA zone like Asia/Shanghai')
    .optional(),
  CALLBOARD_DAY_START: z
    .string()
    .regex(/^([01]\d|2[0-3]):(00|15|30|45)$/, 'expected HH:MM on a quarter hour, e.g. 04:00')
    .default('00:00'),
  CALLBOARD_INTERVAL: z.enum(['15', '30'], { message: 'expected 15 or 30' }).default('30'),
  CALLBOARD_THRESHOLD: int(1, 3600).default(20),
  CALLBOARD_TARGET: z
    .string()
    .regex(/^\d+(\.\d+)?$/, 'expected a percentage such as 80')
    .transform(Number)
    .pipe(z.number().gt(0).max(100))
    .default(80),
  CALLBOARD_MAX_BODY_BYTES: int(1024, 512 * 1024 * 1024).default(16 * 1024 * 1024),
  CALLBOARD_RETENTION_HOURS: int(26, 24 * 400).default(72),
  CALLBOARD_HISTORY_DAYS: int(1, 3660).default(35),
  CALLBOARD_MAX_WAIT_MINUTES: int(1, 24 * 60).default(240),
  CALLBOARD_PUSH_MS: int(10, 10_000).default(25),
  CALLBOARD_LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('info'),
  CALLBOARD_DATA_DIR: z.string().min(1).default('.callboard'),
  CALLBOARD_WEB_DIR: z.string().min(1).default('dist/web'),
  CALLBOARD_ALERTS_FILE: z.string().min(1).optional(),
  CALLBOARD_AUTH: z.enum(['on', 'off'], { message: 'expected on or off' }).default('on'),
  CALLBOARD_ADMIN_TOKEN: z
    .string()
    .regex(/^\S{32,}$/, 'expected at least 32 characters without spaces, e.g. from openssl rand')
    .optional(),
  CALLBOARD_ORIGINS: z
    .string()
    .transform((list) => list.split(',').map((origin) => origin.trim()))
    .pipe(z.array(z.string().regex(/^https?:\/\/[^/]+$/, 'expected origins like https://host')))
    .optional(),
  CALLBOARD_HOSTS: z
    .string()
    .transform((list) => list.split(',').map((host) => host.trim().toLowerCase()))
    .pipe(z.array(z.string().regex(/^[a-z0-9.-]+$/, 'expected host names like wall.example.com')))
    .optional(),
  CALLBOARD_INGEST_RATE: int(1, 100_000).default(20),
  CALLBOARD_INGEST_BURST: int(1, 100_000).default(100),
  CALLBOARD_REQUEST_TIMEOUT_SECONDS: int(1, 3600).default(60),
  CALLBOARD_WS_STUCK_SECONDS: int(1, 3600).default(30),
})

/** Thrown with every wrong variable named, so one restart fixes them all. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError'
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env)
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0])
      // A secret stays out of the error, which ends up in logs.
      const seen = name === 'CALLBOARD_ADMIN_TOKEN' ? '(hidden)' : JSON.stringify(env[name])
      return `${issue.path.join('.')}=${seen}: ${issue.message}`
    })
    throw new ConfigError(`Invalid environment: ${lines.join('; ')}`)
  }

  const e = parsed.data
  const tz = e.CALLBOARD_TZ ?? Intl.DateTimeFormat().resolvedOptions().timeZone
  const [hours = 0, minutes = 0] = e.CALLBOARD_DAY_START.split(':').map(Number)
  checkQuarterOffset(tz)

  return {
    port: e.PORT,
    host: e.HOST,
    redisUrl: e.REDIS_URL,
    keyPrefix: e.CALLBOARD_PREFIX,
    time: {
      tz,
      dayStartMinutes: hours * 60 + minutes,
      intervalMinutes: e.CALLBOARD_INTERVAL === '15' ? 15 : 30,
    },
    thresholdSeconds: e.CALLBOARD_THRESHOLD,
    target: e.CALLBOARD_TARGET / 100,
    maxBodyBytes: e.CALLBOARD_MAX_BODY_BYTES,
    retentionHours: e.CALLBOARD_RETENTION_HOURS,
    historyDays: e.CALLBOARD_HISTORY_DAYS,
    maxWaitMinutes: e.CALLBOARD_MAX_WAIT_MINUTES,
    pushIntervalMs: e.CALLBOARD_PUSH_MS,
    logLevel: e.CALLBOARD_LOG_LEVEL,
    dataDir: e.CALLBOARD_DATA_DIR,
    webDir: e.CALLBOARD_WEB_DIR,
    alertsFile: e.CALLBOARD_ALERTS_FILE,
    access: {
      enabled: e.CALLBOARD_AUTH === 'on',
      adminToken: e.CALLBOARD_ADMIN_TOKEN,
      origins: e.CALLBOARD_ORIGINS ?? [],
      loopbackOnly: isLoopbackName(e.HOST),
      hosts: e.CALLBOARD_HOSTS ?? [],
      ingestPerSecond: e.CALLBOARD_INGEST_RATE,
      ingestBurst: e.CALLBOARD_INGEST_BURST,
      requestTimeoutMs: e.CALLBOARD_REQUEST_TIMEOUT_SECONDS * 1000,
      stuckSocketMs: e.CALLBOARD_WS_STUCK_SECONDS * 1000,
    },
  }
}

/** Figures live in 15-minute UTC buckets; a zone whose offset is off the quarter hour
 * would split its local intervals across buckets. */
function checkQuarterOffset(tz: string): void {
  const offset = DateTime.now().setZone(tz).offset
  if (offset % 15 !== 0) {
    throw new ConfigError(`CALLBOARD_TZ=${tz}: UTC offset ${offset} min is not a multiple of 15`)
  }
}

/** Whether a host name (as in HOST or a Host header, without the port) is this machine's. */
export function isLoopbackName(name: string): boolean {
  const host = name.toLowerCase().replace(/^\[(.*)\]$/, '$1')
  if (host === 'localhost' || host.endsWith('.localhost') || host === '::1') return true
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)
}

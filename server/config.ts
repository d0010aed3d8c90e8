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
  maxWaitMinutes: number
  pushIntervalMs: number
  logLevel: string
  dataDir: string
  webDir: string
  /** The alert rules file (JSON); none: the built-in rules and those set through the API. */
  alertsFile: string | undefined
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
  CALLBOARD_MAX_WAIT_MINUTES: int(1, 24 * 60).default(240),
  CALLBOARD_PUSH_MS: int(10, 10_000).default(100),
  CALLBOARD_LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('info'),
  CALLBOARD_DATA_DIR: z.string().min(1).default('.callboard'),
  CALLBOARD_WEB_DIR: z.string().min(1).default('dist/web'),
  CALLBOARD_ALERTS_FILE: z.string().min(1).optional(),
})

/** Thrown with every wrong variable named, so one restart fixes them all. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError'
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env)
  if (!parsed.success) {
    const lines = parsed.error.issues.map(
      (issue) =>
        `${issue.path.join('.')}=${JSON.stringify(env[String(issue.path[0])])}: ${issue.message}`,
    )
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
    maxWaitMinutes: e.CALLBOARD_MAX_WAIT_MINUTES,
    pushIntervalMs: e.CALLBOARD_PUSH_MS,
    logLevel: e.CALLBOARD_LOG_LEVEL,
    dataDir: e.CALLBOARD_DATA_DIR,
    webDir: e.CALLBOARD_WEB_DIR,
    alertsFile: e.CALLBOARD_ALERTS_FILE,
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

/**
 * The settings an admin edits in the browser: how each queue's service level is judged and
 * counted, and the site's clock (time zone, day start, interval length). Kept in Redis and
 * read by the server, the managers' page and the tests alike, so the schema lives here.
 */
import { DateTime, IANAZone } from 'luxon'
import { z } from 'zod'
import { own } from './own.ts'

/** The service-level formulas of kpi-reference.md §1.2; V2 is the handbook's. */
export const SL_VARIANTS = ['V1', 'V2', 'V3', 'V4', 'V5', 'V6'] as const
export type SlVariant = (typeof SL_VARIANTS)[number]

/** How one queue's service level is counted and judged. */
export interface QueueSettings {
  /** Threshold T in seconds: a call answered with wait ≤ T is within. */
  thresholdSeconds: number
  /** Service-level target in percent, e.g. 80. */
  targetPercent: number
  variant: SlVariant
  /** Abandons with wait ≤ S are short, 0 turns it off. Must stay below T. */
  shortAbandonSeconds: number
}

export interface SiteSettings {
  /** IANA zone, e.g. Asia/Shanghai. */
  tz: string
  /** When the reporting day starts, local "HH:MM" on a quarter hour. */
  dayStart: string
  intervalMinutes: 15 | 30
}

export interface Settings {
  site: SiteSettings
  /** Applies to every queue without a row of its own. */
  defaults: QueueSettings
  queues: Record<string, QueueSettings>
}

/** Settings as stored and served: with the version that wrote them (0: never written). */
export interface StoredSettings extends Settings {
  version: number
}

const QueueSettingsShape = z
  .object({
    thresholdSeconds: z
      .number({ message: 'expected seconds, a whole number' })
      .int('expected whole seconds')
      .min(1, 'expected at least 1 s')
      .max(3600, 'expected at most 3600 s'),
    targetPercent: z
      .number({ message: 'expected a percentage such as 80' })
      .gt(0, 'expected more than 0 %')
      .max(100, 'expected at most 100 %'),
    variant: z.enum(SL_VARIANTS, { message: 'expected one of V1, V2, V3, V4, V5, V6' }),
    shortAbandonSeconds: z
      .number({ message: 'expected seconds, a whole number' })
      .int('expected whole seconds')
      .min(0, 'expected 0 (off) or more')
      .max(600, 'expected at most 600 s'),
  })
  .strict()

/** The two fields the rule "S below T" compares. */
const ROW_TIMES: readonly string[] = ['thresholdSeconds', 'shortAbandonSeconds']

export const QueueSettingsSchema = QueueSettingsShape.refine(
  (row) => row.shortAbandonSeconds < row.thresholdSeconds,
  {
    message: 'expected fewer seconds than the threshold T',
    path: ['shortAbandonSeconds'],
    // Against a T or an S that is itself wrong the rule says nothing true: T = 0 would
    // mark a right S = 0 wrong as well. Each field's own error is enough then.
    when: (payload) =>
      !z.core.util.aborted(payload) &&
      !payload.issues.some((issue) => ROW_TIMES.includes(String(issue.path?.[0]))),
  },
)

/** Figures live in 15-minute UTC buckets, so a zone off the quarter hour cannot be used. */
export function isQuarterHourZone(tz: string, at = Date.now()): boolean {
  return IANAZone.isValidZone(tz) && DateTime.fromMillis(at).setZone(tz).offset % 15 === 0
}

export const SiteSettingsSchema = z
  .object({
    tz: z
      .string({ message: 'expected an IANA zone like Asia/Shanghai' })
      .refine((tz) => IANAZone.isValidZone(tz), 'expected an IANA zone like Asia/Shanghai')
      .refine(
        (tz) => !IANAZone.isValidZone(tz) || isQuarterHourZone(tz),
        'expected a zone whose UTC offset is whole quarter hours',
      ),
    dayStart: z
      .string({ message: 'expected HH:MM on a quarter hour, e.g. 04:00' })
      .regex(/^([01]\d|2[0-3]):(00|15|30|45)$/, 'expected HH:MM on a quarter hour, e.g. 04:00'),
    intervalMinutes: z.union([z.literal(15), z.literal(30)], { message: 'expected 15 or 30' }),
  })
  .strict()

/** A whole settings document, as PUT /api/v1/settings takes it. */
export const SettingsSchema = z
  .object({
    site: SiteSettingsSchema,
    defaults: QueueSettingsSchema,
    queues: z
      .record(
        z
          .string()
          .trim()
          .min(1, 'the queue name must not be empty')
          .max(200, 'expected a queue name of at most 200 characters'),
        QueueSettingsSchema,
      )
      .refine((rows) => Object.keys(rows).length <= 1000, 'expected at most 1000 queues'),
  })
  .strict()

/** The settings a queue is counted and judged by: its own row, or the default row. */
export function queueSettingsOf(settings: Settings, queue: string): QueueSettings {
  return own(settings.queues, queue) ?? settings.defaults
}

/** Minutes after local midnight of an "HH:MM" day start. */
export function dayStartMinutes(dayStart: string): number {
  const [hours = 0, minutes = 0] = dayStart.split(':').map(Number)
  return hours * 60 + minutes
}

/** The inverse of dayStartMinutes. */
export function formatDayStart(minutes: number): string {
  const pad = (value: number) => String(value).padStart(2, '0')
  return `${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`
}

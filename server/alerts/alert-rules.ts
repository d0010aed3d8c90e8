/**
 * What an alert rule takes, checked with zod wherever rules enter: the rules file
 * (CALLBOARD_ALERTS_FILE) and PUT /api/v1/alert-rules. Both hold the same document, every
 * part optional; rule-book.ts lays them over the built-in defaults.
 *
 * Levels are in the rule's own unit: service level and abandon rate in percent, calls
 * waiting in calls, longest wait and feed silence in seconds.
 */
import { z } from 'zod'
import { QUEUE_RULES, SEVERITIES, type QueueRuleName } from '../../shared/alerts.ts'
import { WINDOWS } from '../../shared/windows.ts'
import { InputError } from '../errors.ts'
import { inWords } from '../zod-words.ts'

const Level = z.number().min(0).max(1_000_000)

/** What every rule has: it can be turned off, must hold a while, and says how bad it is. */
const RULE_FIELDS = {
  enabled: z.boolean(),
  /** The condition must hold this long before an incident opens. */
  pendingSeconds: z.number().min(0).max(86_400),
  severity: z.enum(SEVERITIES),
}

export const QueueRuleSchema = z
  .object({
    ...RULE_FIELDS,
    /** The level that fires the rule, and the one the value must recover past to clear. */
    fire: Level,
    clear: Level,
    /** Calls offered in the window below which the rule does not fire. */
    minVolume: z.number().int().min(0).max(1_000_000),
    /** The window the value (and the volume) is computed over. */
    window: z.enum(WINDOWS),
  })
  .strict()

/** Local opening hours, "08:45-12:00"; a range past midnight ("22:00-06:00") is allowed. */
const HoursRange = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM-HH:MM')

export const FeedRuleSchema = z
  .object({
    ...RULE_FIELDS,
    /** Seconds without an event that fire it, and the silence it must fall back to. */
    fire: z.number().min(1).max(86_400),
    clear: z.number().min(0).max(86_400),
    /** Agents logged in (as the last events left them) for silence to count. */
    minVolume: z.number().int().min(0).max(100_000),
    /** Only during these local hours; every hour when empty. */
    hours: z.array(HoursRange).max(24),
  })
  .strict()

/** Agent rules take their limits from the agent rules (PUT /api/v1/agent-rules). */
export const AgentRuleSchema = z.object(RULE_FIELDS).strict()

export const WEBHOOK_FORMATS = ['json', 'slack', 'wecom', 'dingtalk'] as const

export const WebhookSchema = z
  .object({
    url: z.url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL' }),
    /** json: callboard's own body; slack, wecom, dingtalk: what those robots accept. */
    format: z.enum(WEBHOOK_FORMATS).default('json'),
    /** Incidents of lower severity are not sent here. @default 'warning' */
    minSeverity: z.enum(SEVERITIES).default('warning'),
  })
  .strict()

export type QueueRule = z.infer<typeof QueueRuleSchema>
export type FeedRule = z.infer<typeof FeedRuleSchema>
export type AgentRule = z.infer<typeof AgentRuleSchema>
export type Webhook = z.infer<typeof WebhookSchema>
export type QueueRules = Record<QueueRuleName, QueueRule>

const QueueRulesLayer = z
  .object(
    Object.fromEntries(QUEUE_RULES.map((name) => [name, QueueRuleSchema.partial()])) as Record<
      QueueRuleName,
      ReturnType<typeof QueueRuleSchema.partial>
    >,
  )
  .partial()
  .strict()

const LAYER_FIELDS = {
  /** Repeat an open, unacknowledged incident's notification this often; 0 never. */
  repeatMinutes: z
    .number()
    .min(0)
    .max(24 * 60),
  /** Rules of every queue. */
  defaults: QueueRulesLayer,
  /** Rules of one queue, over the defaults. */
  queues: z.record(z.string().min(1).max(200), QueueRulesLayer),
  /** Rules of all queues together, over the defaults; off unless turned on here. */
  allQueues: QueueRulesLayer,
  feedSilent: FeedRuleSchema.partial(),
  agents: z
    .object({ notReady: AgentRuleSchema.partial(), adherence: AgentRuleSchema.partial() })
    .partial()
    .strict(),
}

/** What PUT /api/v1/alert-rules takes and Redis keeps. */
export const AlertLayerSchema = z.object(LAYER_FIELDS).partial().strict()

/**
 * The rules file: the same, plus the webhooks. Webhooks are set only here, by whoever runs
 * the server: no API call, whatever its token, can make the server post to an address of
 * its choosing.
 */
export const AlertFileSchema = z
  .object({ ...LAYER_FIELDS, webhooks: z.array(WebhookSchema).max(20) })
  .partial()
  .strict()

export type AlertLayer = z.infer<typeof AlertLayerSchema>
export type AlertFile = z.infer<typeof AlertFileSchema>

/** Parses one document, naming the field of the first problem in an InputError. */
export function parseAlertDocument<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const parsed = schema.safeParse(value, { error: inWords })
  if (parsed.success) return parsed.data as z.infer<T>

  // The first problem's field goes in `field` (the message then starts "field …:"); any
  // further ones are listed with theirs, so one round of fixes is enough.
  const [first, ...more] = parsed.error.issues.slice(0, 5)
  const path = (issue: z.core.$ZodIssue) => issue.path.join('.') || '(document)'
  const detail = [
    first === undefined ? 'invalid' : explain(first),
    ...more.map((i) => `${path(i)}: ${explain(i)}`),
  ]
  throw new InputError(detail.join('; '), undefined, first && fieldOf(first))
}

/** Where the problem is: an unknown field is named itself, not the object that holds it. */
function fieldOf(issue: z.core.$ZodIssue): string | undefined {
  const path = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0]] : issue.path
  return path.length === 0 ? undefined : path.join('.')
}

/** zod's words, except for unknown fields: which ones, what is allowed, and why webhooks. */
function explain(issue: z.core.$ZodIssue): string {
  if (issue.code !== 'unrecognized_keys') return issue.message

  const unknown = `unknown field ${issue.keys.map((key) => `"${key}"`).join(', ')}`
  // Below the top level the allowed fields would come from the nested schema: name the key.
  if (issue.path.length > 0) return unknown

  const allowed = Object.keys(LAYER_FIELDS).join(', ')
  const hooks = issue.keys.includes('webhooks')
    ? '; webhooks are set only in the rules file (CALLBOARD_ALERTS_FILE), never by the API'
    : ''
  return `${unknown}; expected some of ${allowed}${hooks}`
}

/** Minutes after local midnight of each end of "HH:MM-HH:MM". */
export function parseHours(range: string): { from: number; to: number } {
  const [from = 0, to = 0] = range.split('-').map((clock) => {
    const [hours = 0, minutes = 0] = clock.split(':').map(Number)
    return hours * 60 + minutes
  })
  return { from, to }
}

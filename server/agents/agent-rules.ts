/**
 * The site's agent rules, stored in Redis and changed through PUT /api/v1/agent-rules: which
 * agent states keep an agent in adherence during each scheduled activity, tolerances and
 * thresholds, the not-ready limits, and how queue_log pauses and outbound calls count.
 * Defaults follow docs/domain.md and kpi-reference.md §6.
 */
import { z } from 'zod'
import { AGENT_STATES } from '../../shared/events.ts'

const STATE_TOKEN = new RegExp(`^(${AGENT_STATES.join('|')})(:.+)?$`)

/** `available`, or `not_ready:lunch` for a not-ready state with that reason. */
const StateToken = z
  .string()
  .trim()
  .regex(STATE_TOKEN, `expected a state (${AGENT_STATES.join(', ')}), optionally :reason`)

const ActivityName = z
  .string()
  .trim()
  .regex(/^[\w.-]{1,40}$/, 'expected an activity name of letters, digits, _ . or -')

const minutes = z
  .number()
  .min(0)
  .max(24 * 60)

export const ActivityRuleSchema = z
  .object({
    /** States (and state:reason) that are in adherence during the activity. */
    allowed: z.array(StateToken).min(1),
    /** Scheduled on-queue time, the denominator of conformance. @default false */
    onQueue: z.boolean().default(false),
    /** A state fitting this activity counts as in adherence this long before and after it. */
    toleranceSeconds: z.number().int().min(0).max(3600).default(0),
  })
  .strict()

export const AgentRulesSchema = z
  .object({
    activities: z.record(ActivityName, ActivityRuleSchema).default(defaultActivities),
    /** Out-of-adherence stretches shorter than this are ignored. @default 60 */
    exceptionSeconds: z.number().int().min(0).max(3600).default(60),
    /** Out of adherence longer than this is an overrun on the board. @default 5 */
    adherenceAlertMinutes: minutes.default(5),
    /** Work while nothing is scheduled counts against adherence. @default false */
    workingOutsideShiftIsException: z.boolean().default(false),
    /** Not ready longer than this is an overrun (the handbook's 示忙 rule). @default 15 */
    notReadyLimitMinutes: minutes.default(15),
    /** Per-reason limits, reasons compared without case. @default { lunch: 60 } */
    notReadyLimitByReason: z.record(z.string().trim().min(1), minutes).default({ lunch: 60 }),
    /** queue_log pause reasons that mean wrap-up, counted as handle time. */
    wrapReasons: z.array(z.string().trim().min(1)).default(['wrap', 'wrapup', 'wrap-up', 'acw']),
    /** Count outbound calls as handle time. @default false */
    outboundIsHandle: z.boolean().default(false),
  })
  .strict()

export type AgentRules = z.infer<typeof AgentRulesSchema>
export type ActivityRule = z.infer<typeof ActivityRuleSchema>

function defaultActivities(): Record<string, ActivityRule> {
  const rule = (allowed: string[], onQueue = false): ActivityRule => ({
    allowed,
    onQueue,
    toleranceSeconds: 0,
  })

  return {
    on_queue: rule(['available', 'ringing', 'talking', 'hold', 'wrap_up'], true),
    break: rule(['not_ready:break']),
    lunch: rule(['not_ready:lunch', 'logged_out']),
    meeting: rule(['not_ready:meeting', 'logged_out']),
    training: rule(['not_ready:training', 'logged_out']),
  }
}

export const DEFAULT_AGENT_RULES: AgentRules = AgentRulesSchema.parse({})

/** How long an agent may stay not ready with `reason` before it is an overrun, in ms. */
export function notReadyLimitMs(rules: AgentRules, reason: string | null): number {
  const folded = reason?.trim().toLowerCase() ?? ''
  const byReason = Object.entries(rules.notReadyLimitByReason).find(
    ([name]) => name.toLowerCase() === folded,
  )

  return (byReason?.[1] ?? rules.notReadyLimitMinutes) * 60_000
}

/**
 * The canonical event model. Every adapter (Asterisk queue_log, CSV exports, JSON from
 * a third-party integration) maps its input to these events; the engine sees nothing else.
 *
 * Times are event times in epoch milliseconds, durations are milliseconds.
 */
import { z } from 'zod'

// Names end up as tile titles and Redis fields: control characters are refused.
const name = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .regex(/^[^\u0000-\u001f\u007f]*$/, 'control characters are not allowed')
  // Figures are keyed by queue name in JSON objects, where this one name is not a key.
  .regex(/^(?!__proto__$)/, 'the name __proto__ is reserved')

// Bounds catch a unit mistake early: seconds read as milliseconds land in 1970, and
// milliseconds read as seconds tens of thousands of years ahead.
const EPOCH_MIN = Date.UTC(2000, 0, 1)
const EPOCH_MAX = Date.UTC(2100, 0, 1)
const epochMs = z
  .number()
  .int()
  .min(EPOCH_MIN, 'expected epoch milliseconds after 2000-01-01')
  .max(EPOCH_MAX, 'expected epoch milliseconds before 2100-01-01')
  .describe('event time in epoch milliseconds')
const durationMs = z
  .number()
  .int()
  .min(0)
  .max(7 * 24 * 3600 * 1000)

const common = {
  /** Stable identity used to drop duplicates; derived from the content when absent. */
  id: z.string().min(1).max(200).optional(),
  ts: epochMs,
}

const callCommon = { ...common, queue: name, callId: name }

/** A call entered a queue. A transfer into a second queue is a new visit there. */
export const CallEnterSchema = z.strictObject({
  ...callCommon,
  type: z.literal('call.enter'),
  callerId: z.string().max(200).optional(),
})

/** An agent answered; waitMs runs from entering this queue to the answer (ring time included). */
export const CallAnswerSchema = z.strictObject({
  ...callCommon,
  type: z.literal('call.answer'),
  agent: name,
  waitMs: durationMs,
  ringMs: durationMs.optional(),
})

/** The caller hung up while waiting. */
export const CallAbandonSchema = z.strictObject({
  ...callCommon,
  type: z.literal('call.abandon'),
  waitMs: durationMs,
})

/** Left the queue unanswered without hanging up: timeout, key press, empty queue, overflow. */
export const CallExitSchema = z.strictObject({
  ...callCommon,
  type: z.literal('call.exit'),
  waitMs: durationMs,
  reason: z.enum(['timeout', 'key', 'empty', 'other']),
})

/** Handling of an answered call ended (after wrap-up when the source reports it). */
export const CallEndSchema = z.strictObject({
  ...callCommon,
  type: z.literal('call.end'),
  agent: name,
  talkMs: durationMs,
  holdMs: durationMs.default(0),
  wrapMs: durationMs.default(0),
  reason: z.enum(['caller', 'agent', 'transfer', 'other']).default('other'),
})

export const AGENT_STATES = [
  'logged_out',
  'available',
  'ringing',
  'talking',
  'hold',
  'wrap_up',
  'outbound',
  'not_ready',
] as const

/** A change of an agent's state; the agent side of the wall builds on these. */
export const AgentStateSchema = z.strictObject({
  ...common,
  type: z.literal('agent.state'),
  agent: name,
  state: z.enum(AGENT_STATES),
  reason: z.string().max(200).optional(),
  queue: name.optional(),
})

/**
 * A well-formed source event that no figure uses yet (OUTDIAL, CONFIGRELOAD, RINGNOANSWER …).
 * Kept in the stream so that later figures can be rebuilt from it.
 */
export const OtherEventSchema = z.strictObject({
  ...common,
  type: z.literal('other'),
  name: name,
  queue: name.optional(),
  callId: name.optional(),
  agent: name.optional(),
  data: z.array(z.string().max(1000)).max(20).default([]),
})

export const CanonicalEventSchema = z.discriminatedUnion('type', [
  CallEnterSchema,
  CallAnswerSchema,
  CallAbandonSchema,
  CallExitSchema,
  CallEndSchema,
  AgentStateSchema,
  OtherEventSchema,
])

export type CallEnter = z.infer<typeof CallEnterSchema>
export type CallAnswer = z.infer<typeof CallAnswerSchema>
export type CallAbandon = z.infer<typeof CallAbandonSchema>
export type CallExit = z.infer<typeof CallExitSchema>
export type CallEnd = z.infer<typeof CallEndSchema>
export type AgentState = z.infer<typeof AgentStateSchema>
export type OtherEvent = z.infer<typeof OtherEventSchema>
export type CanonicalEvent = z.infer<typeof CanonicalEventSchema>
/** What a caller may send: defaults (holdMs, wrapMs, reason, data) may be left out. */
export type CanonicalEventInput = z.input<typeof CanonicalEventSchema>
export type EventType = CanonicalEvent['type']

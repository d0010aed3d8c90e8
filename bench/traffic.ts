/**
 * Synthetic calls for the benchmark: each call enters a queue, is answered (then ends) or
 * abandoned, with waits on both sides of the threshold. The same calls can be written as
 * queue_log lines or as canonical events, and every call ends inside the last hour, so
 * the rolling 60-minute window counts every one of them.
 */
import type { CanonicalEventInput } from '../shared/events.ts'

export interface Call {
  id: string
  queue: string
  /** Epoch seconds the call entered the queue. */
  enteredS: number
  waitS: number
  /** Talk seconds when answered; null when the caller hung up. */
  talkS: number | null
  agent: string
}

export interface TrafficOptions {
  calls: number
  queues: number
  /** Distinguishes the calls of one run from another's. */
  tag: string
  /** The last call ends at or before this epoch second. @default now */
  endS?: number
  /** The calls enter over this many seconds before `endS`. @default 2400 */
  spreadS?: number
}

export function queueName(index: number): string {
  return `Queue ${String(index + 1).padStart(2, '0')}`
}

/** Deterministic calls: the same options give the same calls. */
export function makeCalls(options: TrafficOptions): Call[] {
  const endS = options.endS ?? Math.floor(Date.now() / 1000)
  const spreadS = options.spreadS ?? 2400
  const calls: Call[] = []

  for (let i = 0; i < options.calls; i++) {
    const waitS = (i * 7) % 45
    // One call in eleven is abandoned; eleven and the queue count share no factor, so
    // every queue gets some.
    const talkS = i % 11 === 0 ? null : 30 + ((i * 13) % 300)
    // Leave room at the end for the longest wait and talk, so no event is in the future.
    const enteredS = endS - 400 - Math.floor(((options.calls - i) * spreadS) / options.calls)

    calls.push({
      id: `${options.tag}-${i}`,
      queue: queueName(i % options.queues),
      enteredS,
      waitS,
      talkS,
      agent: String(1000 + (i % 300)),
    })
  }
  return calls
}

/** Events one call produces: 3 when answered, 2 when abandoned. */
export function eventCount(calls: readonly Call[]): number {
  return calls.reduce((sum, call) => sum + (call.talkS === null ? 2 : 3), 0)
}

export function toQueueLog(call: Call): string[] {
  const { id, queue, enteredS: t, waitS: w, talkS, agent } = call
  const enter = `${t}|${id}|${queue}|NONE|ENTERQUEUE||13800138000|1`

  if (talkS === null) return [enter, `${t + w}|${id}|${queue}|NONE|ABANDON|1|1|${w}`]
  return [
    enter,
    `${t + w}|${id}|${queue}|PJSIP/${agent}|CONNECT|${w}|${id}.1|2`,
    `${t + w + talkS}|${id}|${queue}|PJSIP/${agent}|COMPLETECALLER|${w}|${talkS}|1`,
  ]
}

export function toCanonical(call: Call): CanonicalEventInput[] {
  const { id: callId, queue, enteredS, waitS, talkS, agent } = call
  const ts = enteredS * 1000
  const waitMs = waitS * 1000
  const enter: CanonicalEventInput = { type: 'call.enter', queue, callId, ts }

  if (talkS === null)
    return [enter, { type: 'call.abandon', queue, callId, ts: ts + waitMs, waitMs }]
  return [
    enter,
    { type: 'call.answer', queue, callId, ts: ts + waitMs, agent, waitMs },
    {
      type: 'call.end',
      queue,
      callId,
      ts: ts + waitMs + talkS * 1000,
      agent,
      talkMs: talkS * 1000,
      holdMs: 0,
      wrapMs: 0,
      reason: 'caller',
    },
  ]
}

/** Splits calls into request bodies of about `eventsPerBody` events each. */
export function bodies(
  calls: readonly Call[],
  eventsPerBody: number,
  format: 'queue_log' | 'ndjson',
): string[] {
  const out: string[] = []
  let lines: string[] = []

  for (const call of calls) {
    if (format === 'queue_log') lines.push(...toQueueLog(call))
    else lines.push(...toCanonical(call).map((event) => JSON.stringify(event)))

    if (lines.length >= eventsPerBody) {
      out.push(lines.join('\n'))
      lines = []
    }
  }
  if (lines.length > 0) out.push(lines.join('\n'))
  return out
}

/**
 * The calls behind one queue's figures in one window. The window's events are read again
 * from the stream, up to the entry the live engine has applied, and replayed through an
 * engine of their own; that engine says when it counts each visit in the service level.
 * The settings control events are read with them, and each version is installed where its
 * event stands, as the live engine did (LiveSettings.applyEntries), so each call is judged
 * by the T and S in force when it was counted. So the list is counted by the very code
 * that counts the wall's figures, and the two cannot disagree.
 */
import type { CallList, CallOutcome, CallRow, CallTotals, SlCount } from '../../shared/calls.ts'
import type { CanonicalEvent } from '../../shared/events.ts'
import { emptyCounters, type Counters, type Figures } from '../../shared/figures.ts'
import type { SlVariant } from '../../shared/settings.ts'
import { serviceLevelParts, type ServiceLevelParts } from '../../shared/sl-variants.ts'
import {
  MINUTE_MS,
  QUARTER_MS,
  ROLLING_MINUTES,
  windowRange,
  type WindowName,
} from '../../shared/windows.ts'
import { Engine, type QueueCounting, type ServiceLevelMark } from '../engine/engine.ts'
import type { LiveFigures } from '../live/live-figures.ts'
import { SETTINGS_EVENT } from '../settings/settings-store.ts'
import type { EventStore } from '../store/event-store.ts'

export interface CallListOptions {
  live: LiveFigures
  store: EventStore
  queue: string
  window: WindowName
  /** Rows returned, newest first; the totals always count every visit. @default 2000 */
  limit?: number
}

/** How far ahead of the server's clock an event may move the replay's (as live). */
const MAX_CLOCK_SKEW_MS = 5000

/** How a visit's leaving counts: by the queue's T and S in force at that moment. */
interface Leave {
  outcome: Exclude<CallOutcome, 'waiting'>
  at: number
  waitMs: number
  /** Within T, for an abandon (V1, V3). */
  withinThreshold: boolean
  /** Within S, for an abandon (V5, V6, the abandon rate). */
  short: boolean
}

/** One visit as the replay saw it. */
interface Visit {
  callId: string
  enteredAt: number
  leave: Leave | null
  marks: Omit<ServiceLevelMark, 'queue' | 'callId' | 'enteredAt'>[]
}

export async function listCalls(options: CallListOptions): Promise<CallList> {
  const { live, queue, window } = options

  // Taken together, before any await: the figures of exactly the entries up to streamId.
  const snapshot = live.snapshot(window, [queue])
  const streamId = snapshot.streamId
  const now = snapshot.asOf
  const settings = live.engine.settings

  // A visit counted in the window entered at most the longest wait before it began.
  const { start, end } = windowRange(window, now, settings.time)
  // Not before what the live engine read at its start, so both know the same calls.
  const from = Math.max(start - settings.maxWaitMs, live.rebuiltFrom)

  const counting = live.settings.replayFrom(from)
  const visits = new Map<string, Visit>()
  const engine = new Engine({
    ...settings,
    queueCounting: (name) => counting.queue(name),
    retainMs: null,
    clockLimit: () => now + MAX_CLOCK_SKEW_MS,
    onServiceLevel: (mark) => {
      if (mark.queue !== queue) return
      const visit = visitOf(visits, mark.callId, mark.enteredAt)
      visit.marks.push({ at: mark.at, change: mark.change, met: mark.met })
    },
  })
  counting.onChange(() => engine.countingChanged())
  const apply = (event: CanonicalEvent) => {
    note(visits, event, counting.queue(queue))
    engine.apply(event)
  }

  if (streamId !== '0-0') {
    const range = { fromId: `${from}-0`, toId: streamId }
    for await (const entry of options.store.callEntries(range, queue, [SETTINGS_EVENT])) {
      await counting.applyEntries([entry], apply)
    }
  }
  engine.advance(now)

  const bucket = ROLLING_MINUTES[window] === undefined ? QUARTER_MS : MINUTE_MS
  const inWindow = (ts: number) => {
    const index = Math.floor(ts / bucket)
    return index >= Math.ceil(start / bucket) && index <= Math.floor(end / bucket)
  }
  const figures = snapshot.queues[queue]
  // The formula, unlike T and S, judges the whole window at once: the wall's, of now.
  const variant: SlVariant = figures?.variant ?? 'V2'
  const rows: CallRow[] = []
  const totals = emptyTotals()

  for (const visit of visits.values()) {
    const counts = countsOf(visit, inWindow)
    const parts = serviceLevelParts(counts, variant)
    const row = rowOf(visit, counts, parts, now, settings.maxWaitMs)
    if (row === null) continue

    totals.offered += parts.offered
    totals.met += parts.met
    totals.answered += counts.answered
    totals.abandoned += counts.abandoned
    totals.left += counts.exited
    if (row.outcome === 'waiting') totals.waiting += 1
    rows.push(row)
  }

  rows.sort((a, b) => b.enteredAt - a.enteredAt || (a.callId < b.callId ? -1 : 1))
  return {
    queue,
    window,
    windowStart: snapshot.windowStart,
    windowLabel: snapshot.windowLabel,
    asOf: now,
    tz: snapshot.tz,
    streamId,
    threshold: figures?.threshold ?? snapshot.threshold,
    variant,
    totals,
    wall: wallTotals(figures),
    count: rows.length,
    calls: rows.slice(0, options.limit ?? 2000),
  }
}

/** Keeps what the list shows of a call event: when the visit entered, how it left. */
function note(visits: Map<string, Visit>, event: CanonicalEvent, row: QueueCounting): void {
  if (event.type === 'call.enter') {
    visitOf(visits, event.callId, event.ts)
    return
  }
  if (event.type === 'call.end' || !('waitMs' in event)) return

  // As in the engine: the first way out counts, a visit never entered began `waitMs` ago.
  const visit = visitOf(visits, event.callId, event.ts - event.waitMs)
  if (visit.leave !== null) return
  const outcome = OUTCOMES[event.type]
  const { waitMs } = event
  const short = row.shortAbandonSeconds > 0 && waitMs <= row.shortAbandonSeconds * 1000
  const withinThreshold = waitMs <= row.thresholdSeconds * 1000
  visit.leave = { outcome, at: event.ts, waitMs, withinThreshold, short }
}

const OUTCOMES = {
  'call.answer': 'answered',
  'call.abandon': 'abandoned',
  'call.exit': 'left',
} as const

function visitOf(visits: Map<string, Visit>, callId: string, enteredAt: number): Visit {
  let visit = visits.get(callId)
  if (visit === undefined) {
    visit = { callId, enteredAt, leave: null, marks: [] }
    visits.set(callId, visit)
  }
  return visit
}

/** What the visit adds to the window's counters: its SL marks and its leaving. */
function countsOf(visit: Visit, inWindow: (ts: number) => boolean): Counters {
  const counts = emptyCounters()
  for (const mark of visit.marks) {
    if (!inWindow(mark.at)) continue
    counts.offered += mark.change
    if (mark.met) counts.answeredWithinThreshold += mark.change
  }

  const leave = visit.leave
  if (leave === null || !inWindow(leave.at)) return counts
  if (leave.outcome === 'answered') counts.answered += 1
  if (leave.outcome === 'left') counts.exited += 1
  if (leave.outcome === 'abandoned') {
    counts.abandoned += 1
    if (leave.withinThreshold) counts.abandonedWithinThreshold += 1
    if (leave.short) counts.abandonedShort += 1
  }
  return counts
}

/** The visit's row, or null when it counts for nothing in the window. */
function rowOf(
  visit: Visit,
  counts: Counters,
  parts: ServiceLevelParts,
  now: number,
  maxWaitMs: number,
): CallRow | null {
  const { leave } = visit
  const waiting = leave === null && visit.enteredAt >= now - maxWaitMs
  const left = counts.answered + counts.abandoned + counts.exited > 0
  if (counts.offered === 0 && parts.offered === 0 && !left && !waiting) return null

  const slAt = visit.marks.findLast((mark) => mark.change > 0)?.at ?? null
  let sl: SlCount = slAt === null ? 'pending' : 'earlier'
  if (parts.offered > 0) sl = parts.met > 0 ? 'met' : 'missed'
  else if (counts.offered > 0) sl = 'excluded'

  const waitMs = leave === null ? now - visit.enteredAt : leave.waitMs
  return {
    callId: visit.callId,
    enteredAt: visit.enteredAt,
    leftAt: leave?.at ?? null,
    outcome: leave?.outcome ?? 'waiting',
    waitSeconds: Math.max(0, waitMs) / 1000,
    sl,
    slAt,
  }
}

function emptyTotals(): CallTotals {
  return { offered: 0, met: 0, answered: 0, abandoned: 0, left: 0, waiting: 0 }
}

function wallTotals(figures: Figures | undefined): CallTotals {
  if (figures === undefined) return emptyTotals()
  return {
    offered: figures.serviceLevelOffered,
    met: figures.serviceLevelMet,
    answered: figures.answered,
    abandoned: figures.abandoned,
    left: figures.exited,
    waiting: figures.waiting ?? 0,
  }
}

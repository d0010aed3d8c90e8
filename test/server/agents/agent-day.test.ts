import { describe, expect, it } from 'vitest'
import {
  deriveAgentFigures,
  emptyAgentCounters,
  type AgentStateName,
} from '../../../shared/agent-figures.ts'
import type { CanonicalEvent } from '../../../shared/events.ts'
import { AgentEngine } from '../../../server/agents/agent-engine.ts'
import { EMPTY_AGENT_CONFIG } from '../../../server/agents/agent-config.ts'
import { readAgentBoard } from '../../../server/agents/agent-snapshot.ts'

const UTC = { tz: 'UTC', dayStartMinutes: 0, intervalMinutes: 30 as const }
const at = (hm: string) => Date.parse(`2026-12-03T${hm}:00Z`)
const MIN = 60_000
const FIGURES = { outboundIsHandle: false }

function engineWith(events: CanonicalEvent[]): AgentEngine {
  const engine = new AgentEngine({
    resolve: (member) => member,
    wrapReasons: [],
    retainMs: null,
    clockLimit: null,
  })
  for (const event of events) engine.apply(event)
  return engine
}

const state = (hm: string, name: AgentStateName, reason?: string): CanonicalEvent => ({
  type: 'agent.state',
  agent: 'A',
  ts: at(hm),
  state: name,
  ...(reason === undefined ? {} : { reason }),
})

function sum(engine: AgentEngine, from: string, to: string) {
  const counters = engine.sumAgent(emptyAgentCounters(), 'A', at(from), at(to) - 1, false)
  return deriveAgentFigures(counters, FIGURES)
}

// kpi-reference.md §10.3, the agent day: logged in 480 min = talk 240 + hold 20 + wrap-up 60
// + available 80 + not ready 80 (break 30, training 50). Laid out by hand, 08:00–16:00:
//   08:00 available 10 · 08:10 talking 60 · 09:10 hold 10 · 09:20 talking 60
//   10:20 wrap-up 30 · 10:50 not ready (break) 30 · 11:20 available 40 · 12:00 talking 120
//   14:00 hold 10 · 14:10 wrap-up 30 · 14:40 not ready (training) 50 · 15:30 available 30
//   16:00 logged out.
// available 10+40+30 = 80, talk 60+60+120 = 240, hold 10+10 = 20, wrap 30+30 = 60,
// not ready 30+50 = 80; 480 in all.
//   occupancy = handle ÷ (handle + available) = 320 ÷ 400 = 80 %
//   handle utilisation = 320 ÷ 480 = 66.67 %; handbook utilisation = talk ÷ logged-in
//   = 240 ÷ 480 = 50 %
const day: CanonicalEvent[] = [
  state('08:00', 'available'),
  state('08:10', 'talking'),
  state('09:10', 'hold'),
  state('09:20', 'talking'),
  state('10:20', 'wrap_up'),
  state('10:50', 'not_ready', 'break'),
  state('11:20', 'available'),
  state('12:00', 'talking'),
  state('14:00', 'hold'),
  state('14:10', 'wrap_up'),
  state('14:40', 'not_ready', 'training'),
  state('15:30', 'available'),
  state('16:00', 'logged_out'),
]

describe('the kpi-reference agent day', () => {
  it('gives occupancy 80 %, utilisation 66.67 % and the handbook utilisation 50 %', () => {
    const figures = sum(engineWith(day), '00:00', '23:59')

    expect(figures).toMatchObject({
      loggedInMs: 480 * MIN,
      talkMs: 240 * MIN,
      holdMs: 20 * MIN,
      wrapMs: 60 * MIN,
      availableMs: 80 * MIN,
      notReadyMs: 80 * MIN,
      handleMs: 320 * MIN,
      occupancy: 0.8,
      utilisation: 0.5,
    })
    expect(figures.handleUtilisation).toBeCloseTo(2 / 3, 12)
  })

  it('counts time in the interval where it was spent', () => {
    const engine = engineWith(day)

    // 08:00–08:30: available 10, talking 20 → occupancy 20 ÷ 30, talk 20 ÷ 30 logged in.
    const first = sum(engine, '08:00', '08:30')
    expect(first).toMatchObject({ loggedInMs: 30 * MIN, availableMs: 10 * MIN, talkMs: 20 * MIN })
    expect(first.occupancy).toBeCloseTo(2 / 3, 12)

    // 09:00–09:30: talking 09:00–09:10 and 09:20–09:30, hold 09:10–09:20.
    expect(sum(engine, '09:00', '09:30')).toMatchObject({ talkMs: 20 * MIN, holdMs: 10 * MIN })

    // 10:30–11:00: wrap-up 20 then not ready 10 → occupancy 20 ÷ 20, not ready in neither.
    const late = sum(engine, '10:30', '11:00')
    expect(late).toMatchObject({ wrapMs: 20 * MIN, notReadyMs: 10 * MIN, occupancy: 1 })

    // Nothing after the logout at 16:00: no value, not 0 %.
    expect(sum(engine, '16:00', '16:30')).toMatchObject({ loggedInMs: 0, occupancy: null })
  })

  it('adds up: the sixteen half-hours of the day sum to the day', () => {
    const engine = engineWith(day)
    let loggedIn = 0
    let talk = 0

    for (let half = 16; half < 32; half++) {
      const from = at('00:00') + half * 30 * MIN
      const counters = engine.sumAgent(emptyAgentCounters(), 'A', from, from + 30 * MIN - 1, false)
      loggedIn += deriveAgentFigures(counters, FIGURES).loggedInMs
      talk += counters.talking
    }
    expect([loggedIn, talk]).toEqual([480 * MIN, 240 * MIN])
  })

  it('reads the same day from call events that report hold and wrap-up only as figures', () => {
    const call = (id: string, answered: string, ended: string): CanonicalEvent[] => [
      { type: 'call.answer', queue: 'Q', callId: id, agent: 'A', ts: at(answered), waitMs: 0 },
      // Handling ends after wrap-up: talk 120, hold 10, wrap 30 min.
      {
        type: 'call.end',
        queue: 'Q',
        callId: id,
        agent: 'A',
        ts: at(ended),
        talkMs: 120 * MIN,
        holdMs: 10 * MIN,
        wrapMs: 30 * MIN,
        reason: 'caller',
      },
    ]
    // 08:10–10:50 and 12:00–14:40 are calls of 160 min each; the rest as above. The last
    // 30 min of each call become wrap-up, the 10 min before them hold.
    const engine = engineWith([
      state('08:00', 'available'),
      ...call('c1', '08:10', '10:50'),
      state('10:50', 'not_ready', 'break'),
      state('11:20', 'available'),
      ...call('c2', '12:00', '14:40'),
      state('14:40', 'not_ready', 'training'),
      state('15:30', 'available'),
      state('16:00', 'logged_out'),
    ])

    const figures = sum(engine, '00:00', '23:59')
    expect(figures).toMatchObject({
      talkMs: 240 * MIN,
      holdMs: 20 * MIN,
      wrapMs: 60 * MIN,
      availableMs: 80 * MIN,
      notReadyMs: 80 * MIN,
      occupancy: 0.8,
      utilisation: 0.5,
      // AHT = (160 + 160) min ÷ 2 calls = 9600 s.
      handled: 2,
      aht: 9600,
    })
    // Wrap-up of the first call is 10:20–10:50.
    expect(sum(engine, '10:30', '11:00')).toMatchObject({ wrapMs: 20 * MIN, talkMs: 0 })
  })

  it('gives the same buckets whether or not the clock credited time before a late event', () => {
    const straight = engineWith(day)
    const ticked = new AgentEngine(straight.settings)
    // The clock runs past 08:12 before the 08:10 change arrives, as a live server's would.
    ticked.apply(day[0] as CanonicalEvent)
    ticked.advance(at('08:12') + 30_000)
    for (const event of day.slice(1)) ticked.apply(event)

    for (const [from, to] of [
      ['08:00', '08:15'],
      ['08:00', '09:00'],
      ['00:00', '23:59'],
    ] as const) {
      expect(sum(ticked, from, to)).toEqual(sum(straight, from, to))
    }
  })

  it('shows the state in progress ticking on the board, and the day in the snapshot', () => {
    const engine = engineWith(day.slice(0, 6))
    const board = readAgentBoard(engine, EMPTY_AGENT_CONFIG, UTC, 'today', at('11:00'))
    const row = board.lines[0]?.row

    // Not ready (break) since 10:50; 10 min of it by 11:00 are counted already.
    expect(row).toMatchObject({ id: 'A', state: 'not_ready', reason: 'break', since: at('10:50') })
    expect(row?.figures.notReadyMs).toBe(10 * MIN)
    expect(row?.figures.loggedInMs).toBe(180 * MIN)
  })
})

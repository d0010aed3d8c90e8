import { describe, expect, it } from 'vitest'
import { silentLogger } from '../../server/logger.ts'
import {
  createSimulator,
  DEFAULT_QUEUES,
  runSimulatorLoop,
  type Simulator,
} from '../../server/demo/simulator.ts'

const START = Date.UTC(2026, 2, 2, 1, 0, 0)
const MINUTE = 60_000
const HOUR = 60 * MINUTE

/** Data fields each event carries after `epoch|uniqueid|queue|agent|EVENT`, as patterns. */
const DATA: Record<string, RegExp[]> = {
  ENTERQUEUE: [/^$/, /^1\d{10}$/, /^\d+$/],
  CONNECT: [/^\d+$/, /^\d+\.\d+$/, /^\d+$/],
  COMPLETECALLER: [/^\d+$/, /^\d+$/, /^\d+$/],
  COMPLETEAGENT: [/^\d+$/, /^\d+$/, /^\d+$/],
  ABANDON: [/^[1-9]\d*$/, /^[1-9]\d*$/, /^\d+$/],
  EXITWITHTIMEOUT: [/^[1-9]\d*$/, /^[1-9]\d*$/, /^\d+$/],
  RINGNOANSWER: [/^\d+$/],
  PAUSE: [/^(Break|Lunch|Training)$/],
  UNPAUSE: [/^$/],
  ADDMEMBER: [/^$/],
}

interface Entry {
  epoch: number
  callId: string
  queue: string
  agent: string
  event: string
  data: string[]
}

function parse(line: string): Entry {
  const [epoch = '', callId = '', queue = '', agent = '', event = '', ...data] = line.split('|')
  return { epoch: Number(epoch), callId, queue, agent, event, data }
}

function simulate(untilMs: number, seed = 7): { simulator: Simulator; entries: Entry[] } {
  const simulator = createSimulator({ seed, now: () => START })
  return { simulator, entries: simulator.step(untilMs).map(parse) }
}

interface Visit {
  queue: string
  enteredMs: number
  /** Seconds waited before an answer, or undefined when the caller left unanswered. */
  answeredAfter?: number
  left: boolean
}

/** One visit per call from ENTERQUEUE to its answer, abandon or timeout. */
function visits(entries: Entry[]): Visit[] {
  const byCall = new Map<string, Visit>()

  for (const entry of entries) {
    if (entry.event === 'ENTERQUEUE') {
      byCall.set(entry.callId, { queue: entry.queue, enteredMs: entry.epoch * 1000, left: false })
    }
    const visit = byCall.get(entry.callId)
    if (!visit) continue

    if (entry.event === 'CONNECT') visit.answeredAfter = Number(entry.data[0])
    if (['CONNECT', 'ABANDON', 'EXITWITHTIMEOUT'].includes(entry.event)) visit.left = true
  }
  return [...byCall.values()].filter((visit) => visit.left)
}

/** Answered within 20 s ÷ calls offered, as the wall defines service level. */
function serviceLevel(calls: Visit[]): number {
  const met = calls.filter((call) => call.answeredAfter !== undefined && call.answeredAfter <= 20)
  return met.length / calls.length
}

describe('createSimulator', () => {
  it('writes queue_log lines in time order in the documented format', () => {
    const { entries } = simulate(START + HOUR)

    expect(entries.length).toBeGreaterThan(1000)
    for (const [i, entry] of entries.entries()) {
      const context = JSON.stringify(entry)
      const previous = entries[i - 1]
      expect(Number.isInteger(entry.epoch), context).toBe(true)
      if (previous) expect(entry.epoch, context).toBeGreaterThanOrEqual(previous.epoch)

      const patterns = DATA[entry.event]
      expect(patterns, context).toBeDefined()
      expect(entry.data, context).toHaveLength(patterns?.length ?? -1)
      patterns?.forEach((pattern, field) => expect(entry.data[field], context).toMatch(pattern))

      const isCallEvent = !['PAUSE', 'UNPAUSE', 'ADDMEMBER'].includes(entry.event)
      expect(entry.callId, context).toMatch(isCallEvent ? /^\d+\.\d+$/ : /^NONE$/)
      expect(
        DEFAULT_QUEUES.map((queue) => queue.name),
        context,
      ).toContain(entry.queue)
      const byAgent = !['ENTERQUEUE', 'ABANDON', 'EXITWITHTIMEOUT'].includes(entry.event)
      expect(entry.agent, context).toMatch(byAgent ? /^(PJSIP|Local|Agent)\/\d+/ : /^NONE$/)
    }
  })

  it('tells a consistent story for each call', () => {
    const { entries } = simulate(START + HOUR)
    const entered = new Map(
      entries.filter((e) => e.event === 'ENTERQUEUE').map((e) => [e.callId, e]),
    )
    const connects = new Map(entries.filter((e) => e.event === 'CONNECT').map((e) => [e.callId, e]))

    for (const entry of entries) {
      const enter = entered.get(entry.callId)
      if (entry.event === 'CONNECT' && enter) {
        const waited = entry.epoch - enter.epoch
        expect(Math.abs(Number(entry.data[0]) - waited)).toBeLessThanOrEqual(1)
      }
      if (entry.event.startsWith('COMPLETE')) {
        const connect = connects.get(entry.callId)
        expect(connect?.agent).toBe(entry.agent)
        expect(entry.data[0]).toBe(connect?.data[0])
        if (enter) expect(entry.data[2]).toBe(enter.data[2])
      }
    }
  })

  it('starts with every member added and produces every kind of event within four hours', () => {
    const { entries } = simulate(START + 4 * HOUR)
    const agents = DEFAULT_QUEUES.flatMap((queue) => queue.agents)

    expect(entries.slice(0, agents.length).map((e) => e.event)).toEqual(
      agents.map(() => 'ADDMEMBER'),
    )
    expect(new Set(entries.map((e) => e.event))).toEqual(new Set(Object.keys(DATA)))
  })

  it('is deterministic for a seed, whatever the size of the steps', () => {
    const whole = simulate(START + 20 * MINUTE, 42).entries
    const simulator = createSimulator({ seed: 42, now: () => START })
    const stepped: Entry[] = []
    for (let t = START; t <= START + 20 * MINUTE; t += 250) {
      stepped.push(...simulator.step(t).map(parse))
    }

    expect(stepped).toEqual(whole)
    expect(simulate(START + 20 * MINUTE, 43).entries).not.toEqual(whole)
  })

  it('overloads the queues at the peak of the day: calls wait over 20 s and abandon', () => {
    const { simulator, entries } = simulate(START + HOUR)
    const atPeak = (visit: Visit) => simulator.load(visit.queue, visit.enteredMs) > 0.8
    const peak = visits(entries).filter(atPeak)
    const peakIds = new Set(
      entries
        .filter((e) => e.event === 'ENTERQUEUE')
        .filter((e) => simulator.load(e.queue, e.epoch * 1000) > 0.8)
        .map((e) => e.callId),
    )
    const abandoned = entries.filter((e) => e.event === 'ABANDON' && peakIds.has(e.callId))

    expect(peak.length).toBeGreaterThan(300)
    expect(abandoned.length).toBeGreaterThan(10)
    expect(peak.filter((visit) => (visit.answeredAfter ?? 0) > 20).length).toBeGreaterThan(30)
    expect(serviceLevel(peak)).toBeLessThan(0.8)
  })

  it('meets the 80 % target in the quiet part of the day', () => {
    const { simulator, entries } = simulate(START + HOUR)
    const quiet = visits(entries).filter((v) => simulator.load(v.queue, v.enteredMs) < 0.3)

    expect(quiet.length).toBeGreaterThan(50)
    expect(serviceLevel(quiet)).toBeGreaterThan(0.8)
  })

  it("swings each queue's service level above and below 80 % within minutes", () => {
    const all = visits(simulate(START + HOUR).entries)

    for (const { name } of DEFAULT_QUEUES) {
      const levels: number[] = []
      for (let from = START; from < START + HOUR; from += 2 * MINUTE) {
        const inWindow = all.filter(
          (v) => v.queue === name && v.enteredMs >= from && v.enteredMs < from + 2 * MINUTE,
        )
        if (inWindow.length > 0) levels.push(serviceLevel(inWindow))
      }

      expect(levels.filter((level) => level >= 0.8).length, name).toBeGreaterThanOrEqual(5)
      expect(levels.filter((level) => level < 0.8).length, name).toBeGreaterThanOrEqual(5)
    }
  })

  it('runs the model faster at a higher speed', () => {
    const count = (speed: number) =>
      createSimulator({ seed: 5, speed, now: () => START })
        .step(START + HOUR)
        .filter((line) => line.includes('|ENTERQUEUE|')).length

    expect(count(2) / count(1)).toBeGreaterThan(1.7)
    expect(count(2) / count(1)).toBeLessThan(2.3)
    expect(() => createSimulator({ speed: 0 })).toThrow(/speed must be a positive number/)
  })
})

describe('runSimulatorLoop', () => {
  it('posts what happened each tick and sends a failed batch again', async () => {
    let clock = START
    const now = () => (clock += 5000)
    const posted: string[][] = []
    let calls = 0
    const stop = new AbortController()

    await runSimulatorLoop({
      seed: 9,
      now,
      tickMs: 1,
      logger: silentLogger(),
      signal: stop.signal,
      post: async (lines) => {
        calls++
        if (calls === 2) throw new Error('server restarting')
        posted.push(lines)
        if (clock > START + 10 * MINUTE) stop.abort()
      },
    })

    const expected = createSimulator({ seed: 9, now: () => START + 5000 }).step(clock)
    expect(posted.flat()).toEqual(expected.slice(0, posted.flat().length))
    expect(posted.flat().length).toBeGreaterThan(expected.length * 0.9)
    expect(posted[0]?.every((line) => line.includes('|ADDMEMBER|'))).toBe(true)
  })
})

import { describe, expect, it } from 'vitest'
import type { Incident } from '../../../shared/alerts.ts'
import type { AlertLayer } from '../../../server/alerts/alert-rules.ts'
import { Evaluator, type Decision } from '../../../server/alerts/evaluator.ts'
import { judge } from '../../../server/alerts/judge.ts'
import { buildRuleBook } from '../../../server/alerts/rule-book.ts'
import { agentRow, FakeInputs, MORNING } from '../../helpers/alert-inputs.ts'

const SECOND = 1000
const MINUTE = 60 * SECOND

/**
 * Drives the judge and the evaluator on a clock of its own, keeping open incidents as the
 * alert service would (without Redis): what opened and resolved, and when.
 */
class Bench {
  readonly inputs = new FakeInputs()
  readonly evaluator = new Evaluator()
  readonly open = new Map<string, Incident>()
  readonly log: string[] = []
  now = MORNING

  constructor(readonly layer: AlertLayer = {}) {}

  step(seconds = 0): Decision[] {
    this.now += seconds * SECOND
    const book = buildRuleBook(80, {}, this.layer)
    const decisions = this.evaluator.step(judge(book, this.inputs, this.now), this.open, this.now)

    for (const decision of decisions) {
      const at = (this.now - MORNING) / SECOND
      if (decision.kind === 'open') {
        const { key } = decision.judgement
        this.open.set(key, { key, rule: decision.judgement.rule } as Incident)
        this.log.push(`${at}s open ${key}`)
      } else {
        this.open.delete(decision.incident.key)
        this.log.push(`${at}s resolve ${decision.incident.key}`)
      }
    }
    return decisions
  }
}

/** Only the service-level rule, so other rules' defaults stay out of the way. */
function serviceLevelOnly(rule: object = {}): AlertLayer {
  return {
    defaults: {
      serviceLevel: rule,
      callsWaiting: { enabled: false },
      longestWait: { enabled: false },
      abandonRate: { enabled: false },
    },
    feedSilent: { enabled: false },
  }
}

describe('the evaluator', () => {
  it('fires once the rule has held for the pending period, and not a second before', () => {
    // Default service-level rule: below 80 % for 60 s with at least 10 calls offered.
    const bench = new Bench(serviceLevelOnly())
    bench.inputs.serviceLevel('Sales', 70, 20)

    expect(bench.step()).toEqual([])
    expect(bench.step(59)).toEqual([])
    expect(bench.step(1).map((d) => d.kind)).toEqual(['open'])
    expect(bench.log).toEqual(['60s open serviceLevel|queue|Sales'])
  })

  it('starts the pending period again when the value recovers within it', () => {
    const bench = new Bench(serviceLevelOnly())
    bench.inputs.serviceLevel('Sales', 70, 20)
    bench.step()
    bench.step(40)

    // 81 % is above the fire level: the breach is over, though not past the clear level.
    bench.inputs.serviceLevel('Sales', 81, 100)
    bench.step(10)
    bench.inputs.serviceLevel('Sales', 70, 20)
    bench.step(10)
    bench.step(59)
    expect(bench.log).toEqual([])

    bench.step(1)
    expect(bench.log).toEqual(['120s open serviceLevel|queue|Sales'])
  })

  it('does not flap around the threshold: one incident, resolved at the clear level', () => {
    const bench = new Bench(serviceLevelOnly({ pendingSeconds: 0 }))

    // 79, 81, 79.5, 81.9, 79 …: below 80 opens, only 82 or more clears.
    for (const percent of [79, 81, 79.5, 81.9, 79, 81, 80, 81.9]) {
      bench.inputs.serviceLevel('Sales', percent, 1000)
      bench.step(10)
    }
    expect(bench.log).toEqual(['10s open serviceLevel|queue|Sales'])

    bench.inputs.serviceLevel('Sales', 82, 1000)
    bench.step(10)
    bench.inputs.serviceLevel('Sales', 81, 1000)
    bench.step(10)
    expect(bench.log).toEqual([
      '10s open serviceLevel|queue|Sales',
      '90s resolve serviceLevel|queue|Sales',
    ])
  })

  it('does not fire below the minimum volume: 1 of 2 calls late pages nobody', () => {
    const bench = new Bench(serviceLevelOnly({ pendingSeconds: 0 }))
    bench.inputs.set('Sales', { offered: 2, met: 1 })
    bench.step()
    bench.step(600)
    expect(bench.log).toEqual([])

    // The tenth call, late too: 5 of 10 within T is 50 %, with the minimum volume reached.
    bench.inputs.set('Sales', { offered: 10, met: 5 })
    bench.step(1)
    expect(bench.log).toEqual(['601s open serviceLevel|queue|Sales'])
  })

  it('keeps an incident open while volume is low, and resolves it when no calls are left', () => {
    const bench = new Bench(serviceLevelOnly({ pendingSeconds: 0 }))
    bench.inputs.serviceLevel('Sales', 50, 20)
    bench.step()

    bench.inputs.set('Sales', { offered: 3, met: 1 })
    bench.step(60)
    expect(bench.open.size).toBe(1)

    bench.inputs.set('Sales', { offered: 0 })
    bench.step(60)
    expect(bench.log).toEqual([
      '0s open serviceLevel|queue|Sales',
      '120s resolve serviceLevel|queue|Sales',
    ])
  })

  it('fires on a queue nobody answers with no new event: the clock alone moves the wait', () => {
    const bench = new Bench({ feedSilent: { enabled: false } })
    // Longest wait fires at 120 s after 10 s pending; calls waiting at 5 after 30 s.
    bench.inputs.set('报修热线', { waiting: 6, longestWait: 100 })
    bench.step()
    bench.inputs.set('报修热线', { waiting: 6, longestWait: 120 })
    bench.step(20)
    bench.step(9)
    expect(bench.log).toEqual([])
    bench.step(1)

    // Both past their fire levels, the wait since 20 s, the calls since 0 s.
    expect([...bench.log].sort()).toEqual([
      '30s open callsWaiting|queue|报修热线',
      '30s open longestWait|queue|报修热线',
    ])
  })

  it('opens nothing for a call or an agent seen waiting while a backlog arrives', () => {
    const bench = new Bench({ feedSilent: { enabled: false } })
    // A backlog in two requests 1.5 s apart: the first ends on a call's ENTERQUEUE of half
    // an hour ago and an agent's pause of an hour ago, the second brings the CONNECT and
    // the unpause. Between them the call seems to wait 1,800 s, the agent to pause 60 min.
    bench.inputs.set('Sales', { waiting: 1, longestWait: 1800 })
    bench.inputs.agentRows = [
      agentRow('1001', { state: 'not_ready', reason: 'break', since: MORNING - 60 * MINUTE }),
    ]
    bench.step()
    bench.step(1.5)
    bench.inputs.set('Sales', { waiting: 0 })
    bench.inputs.agentRows = [agentRow('1001', { state: 'available', since: MORNING })]
    bench.step(0.5)
    bench.step(60)

    expect(bench.log).toEqual([])
  })

  it('judges all queues together only when the rules for them are turned on', () => {
    const off = new Bench(serviceLevelOnly({ pendingSeconds: 0 }))
    off.inputs.serviceLevel('A', 50, 20).serviceLevel('B', 50, 20)
    off.step()
    expect(off.log).toEqual(['0s open serviceLevel|queue|A', '0s open serviceLevel|queue|B'])

    const on = new Bench({
      ...serviceLevelOnly({ pendingSeconds: 0 }),
      allQueues: { serviceLevel: { enabled: true } },
    })
    on.inputs.serviceLevel('A', 50, 20).serviceLevel('B', 90, 20)
    on.step()
    // 10 + 18 of 40 is 70 %.
    expect(on.log).toEqual(['0s open serviceLevel|queue|A', '0s open serviceLevel|all|'])
  })

  it('uses a queue’s own rules over the defaults', () => {
    const bench = new Bench({
      ...serviceLevelOnly({ pendingSeconds: 0 }),
      queues: { VIP: { serviceLevel: { fire: 95, clear: 97 } } },
    })
    bench.inputs.serviceLevel('VIP', 90, 100).serviceLevel('Sales', 90, 100)
    bench.step()
    expect(bench.log).toEqual(['0s open serviceLevel|queue|VIP'])
  })

  it('reports silence of the feed only while agents are logged in', () => {
    const bench = new Bench({ feedSilent: { fire: 300, clear: 60 } })
    bench.inputs.lastArrival = MORNING
    bench.inputs.agentRows = [agentRow('1001', { state: 'logged_out' })]
    bench.step(400)
    expect(bench.log).toEqual([])

    bench.inputs.agentRows = [agentRow('1001', { state: 'available', since: MORNING })]
    bench.step(1)
    expect(bench.log).toEqual(['401s open feedSilent|site|'])

    bench.inputs.lastArrival = bench.now + 5 * SECOND
    bench.step(10)
    expect(bench.log.at(-1)).toBe('411s resolve feedSilent|site|')
  })

  it('opens an agent incident past the not-ready limit, resolves it when the agent is back', () => {
    const bench = new Bench({ feedSilent: { enabled: false } })
    bench.inputs.agentRows = [
      agentRow('1001', { state: 'not_ready', reason: 'break', since: MORNING }),
      agentRow('1002', { state: 'not_ready', reason: 'lunch', since: MORNING }),
    ]

    // The agent rules allow 15 minutes, lunch 60.
    bench.step(15 * 60)
    expect(bench.log).toEqual([])
    // Over the limit from 901 s on, and for the 10 s pending after that.
    bench.step(1)
    bench.step(9)
    expect(bench.log).toEqual([])
    bench.step(1)
    expect(bench.log).toEqual(['911s open agentNotReady|agent|1001'])

    bench.inputs.agentRows = [
      agentRow('1001', { state: 'available', since: bench.now }),
      agentRow('1002', { state: 'not_ready', reason: 'lunch', since: MORNING }),
    ]
    bench.step(1)
    expect(bench.log.at(-1)).toBe('912s resolve agentNotReady|agent|1001')
  })

  it('leaves agent incidents alone while no agent board is available', () => {
    const bench = new Bench({ feedSilent: { enabled: false } })
    bench.inputs.agentRows = [
      agentRow('1001', { state: 'not_ready', since: MORNING - MINUTE * 20 }),
    ]
    bench.step()
    bench.step(10)
    expect(bench.open.size).toBe(1)

    bench.inputs.agentRows = null
    bench.step(60)
    expect(bench.open.size).toBe(1)
  })
})

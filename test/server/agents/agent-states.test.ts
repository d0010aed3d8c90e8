import { describe, expect, it } from 'vitest'
import { emptyAgentCounters } from '../../../shared/agent-figures.ts'
import type { CanonicalEvent } from '../../../shared/events.ts'
import { parseQueueLog } from '../../../server/adapters/queue-log.ts'
import { EMPTY_AGENT_CONFIG, type AgentConfig } from '../../../server/agents/agent-config.ts'
import { AgentEngine } from '../../../server/agents/agent-engine.ts'
import { readAgentBoard } from '../../../server/agents/agent-snapshot.ts'
import { memberResolver, normaliseMember } from '../../../server/agents/member-names.ts'

const UTC = { tz: 'UTC', dayStartMinutes: 0, intervalMinutes: 30 as const }
const at = (hms: string) => Date.parse(`2026-12-03T${hms.length === 5 ? `${hms}:00` : hms}Z`)
const epoch = (hms: string) => at(hms) / 1000
const S = 1000
const MIN = 60_000

function engineWith(events: CanonicalEvent[], aliases = new Map<string, string>()) {
  const engine = new AgentEngine({
    resolve: memberResolver(aliases),
    wrapReasons: ['acw'],
    retainMs: null,
    clockLimit: null,
  })
  for (const event of events) engine.apply(event)
  return engine
}

describe('member names', () => {
  it('reads one agent id out of the shapes queue_log writes', () => {
    expect(normaliseMember('PJSIP/1001')).toBe('1001')
    expect(normaliseMember('Local/1001@agents/n')).toBe('1001')
    expect(normaliseMember('Agent/1001')).toBe('1001')
    expect(normaliseMember('SIP/1001;2')).toBe('1001')
    // An id from a JSON source stays as it is, even with an @.
    expect(normaliseMember('wang.fang@example.cn')).toBe('wang.fang@example.cn')
  })

  it('lets the alias table win, for the exact name or its normal form', () => {
    const resolve = memberResolver(
      new Map([
        ['SIP/phone-7', '1001'],
        ['2002', 'li.lei'],
      ]),
    )
    expect([resolve('SIP/phone-7'), resolve('PJSIP/2002'), resolve('Agent/3003')]).toEqual([
      '1001',
      'li.lei',
      '3003',
    ])
  })
})

// Agent 1001 is a member of Sales (as PJSIP/1001) and Support (as Local/1001@agents/n).
//   09:00 joins both queues                     available
//   09:05 pauses in Sales only (Lunch)          still available: Support may ring
//   09:06 pauses in Support too                 not ready (Lunch)
//   09:20 UNPAUSEALL                            available
//   09:30:10 answers c1 in Sales                talking
//   09:32:10 the call ends; PAUSEALL "ACW"      wrap-up (ACW is a wrap-up reason here)
//   09:33 UNPAUSEALL                            available
//   09:40 rung in Sales, no answer              still available, one unanswered ring
//   09:50 dials out (PBXware OUTDIAL)           outbound
//   09:52 OUTANSWER                             available
//   10:00 leaves both queues                    logged out
// available 6 + 10:10 + 17 + 8 = 41:10; not ready 14; talking 2; wrap-up 0:50; outbound 2;
// 60 min logged in.
const day = parseQueueLog(
  [
    `${epoch('09:00')}|NONE|Sales|PJSIP/1001|ADDMEMBER|`,
    `${epoch('09:00')}|NONE|Support|Local/1001@agents/n|ADDMEMBER|`,
    `${epoch('09:05')}|NONE|Sales|PJSIP/1001|PAUSE|Lunch`,
    `${epoch('09:06')}|NONE|Support|Local/1001@agents/n|PAUSE|Lunch`,
    `${epoch('09:20')}|NONE|NONE|PJSIP/1001|UNPAUSEALL|`,
    `${epoch('09:30')}|c1|Sales|NONE|ENTERQUEUE||13800138000|1`,
    `${epoch('09:30:10')}|c1|Sales|Local/1001@agents/n|CONNECT|10|b1|2`,
    `${epoch('09:32:10')}|c1|Sales|PJSIP/1001|COMPLETEAGENT|10|120|1`,
    `${epoch('09:32:10')}|NONE|NONE|PJSIP/1001|PAUSEALL|ACW`,
    `${epoch('09:33')}|NONE|NONE|PJSIP/1001|UNPAUSEALL|`,
    `${epoch('09:40')}|c2|Sales|PJSIP/1001|RINGNOANSWER|15000`,
    `${epoch('09:50')}|o1|NONE|Agent/1001|OUTDIAL|5550001|from-internal`,
    `${epoch('09:52')}|o1|NONE|Agent/1001|OUTANSWER|5550001|COMPLETEAGENT`,
    `${epoch('10:00')}|NONE|Sales|PJSIP/1001|REMOVEMEMBER|`,
    `${epoch('10:00')}|NONE|Support|Local/1001@agents/n|REMOVEMEMBER|`,
  ].join('\n'),
)

describe('agent state from queue_log', () => {
  it('follows memberships, pauses per queue, calls, wrap-up pauses and outbound dialling', () => {
    const engine = engineWith(day)
    const counters = engine.sumAgent(emptyAgentCounters(), '1001', at('00:00'), at('12:00'), false)

    expect(engine.ids()).toEqual(['1001'])
    expect(counters).toMatchObject({
      available: 41 * MIN + 10 * S,
      not_ready: 14 * MIN,
      talking: 2 * MIN,
      wrap_up: 50 * S,
      outbound: 2 * MIN,
      handledCalls: 1,
      handledCallMs: 120 * S,
      ringNoAnswer: 1,
    })
    expect(engine.get('1001')?.ledger.segments.map((s) => [s.state, s.reason])).toEqual([
      ['available', null],
      ['not_ready', 'Lunch'],
      ['available', null],
      ['talking', null],
      ['wrap_up', null],
      ['available', null],
      ['outbound', null],
      ['available', null],
      ['logged_out', null],
    ])
  })

  it('takes a static member (never added) as logged in from its first call', () => {
    const engine = engineWith(
      parseQueueLog(
        [
          `${epoch('09:10')}|c3|Sales|SIP/2002|CONNECT|4|b3|2`,
          `${epoch('09:15')}|c3|Sales|SIP/2002|COMPLETECALLER|4|300|1`,
          `${epoch('09:40')}|c4|Sales|SIP/2002|CONNECT|2|b4|1`,
          // Asterisk restarts: the call of 09:40 is over, though no end line says so.
          `${epoch('09:45')}|NONE|NONE|NONE|QUEUESTART|`,
        ].join('\n'),
      ),
    )

    expect(engine.get('2002')?.ledger.segments.map((s) => [s.state, s.start])).toEqual([
      ['talking', at('09:10')],
      ['available', at('09:15')],
      ['talking', at('09:40')],
      ['available', at('09:45')],
    ])
  })

  it('ends pauses and memberships at logoff; a call in progress goes on until its end', () => {
    const engine = engineWith(
      parseQueueLog(
        [
          `${epoch('09:00')}|NONE|NONE|Agent/3003|AGENTLOGIN|PJSIP/3003-0001`,
          `${epoch('09:01')}|c5|Sales|Agent/3003|CONNECT|3|b5|1`,
          `${epoch('09:02')}|NONE|NONE|Agent/3003|AGENTLOGOFF|PJSIP/3003-0001|120`,
          `${epoch('09:04')}|c5|Sales|Agent/3003|COMPLETECALLER|3|180|1`,
        ].join('\n'),
      ),
    )

    expect(engine.get('3003')?.ledger.segments.map((s) => [s.state, s.start])).toEqual([
      ['available', at('09:00')],
      ['talking', at('09:01')],
      ['logged_out', at('09:04')],
    ])
  })
})

describe('not ready too long (the handbook rule)', () => {
  const state = (hms: string, name: 'available' | 'not_ready', reason?: string) =>
    ({ type: 'agent.state', agent: 'A', ts: at(hms), state: name, reason }) as CanonicalEvent
  const overrun = (events: CanonicalEvent[], now: string, config: AgentConfig) =>
    readAgentBoard(engineWith(events), config, UTC, 'today', at(now)).lines[0]?.row.overrun

  it('flags not ready longer than 15 minutes, or the reason limit: lunch 60', () => {
    const onBreak = [state('09:00', 'available'), state('09:06', 'not_ready', 'break')]
    // Exactly 15 min is allowed; one second more is an overrun.
    expect(overrun(onBreak, '09:21', EMPTY_AGENT_CONFIG)).toBeNull()
    expect(overrun(onBreak, '09:21:01', EMPTY_AGENT_CONFIG)).toEqual({
      kind: 'not_ready',
      since: at('09:06'),
      limitMs: 15 * MIN,
    })

    const atLunch = [state('09:00', 'available'), state('09:06', 'not_ready', 'LUNCH')]
    expect(overrun(atLunch, '10:06', EMPTY_AGENT_CONFIG)).toBeNull()
    expect(overrun(atLunch, '10:06:01', EMPTY_AGENT_CONFIG)?.limitMs).toBe(60 * MIN)
  })

  it('flags out of adherence longer than 5 minutes', () => {
    const config: AgentConfig = {
      ...EMPTY_AGENT_CONFIG,
      schedules: new Map([
        [
          '2026-12-03',
          new Map([['A', [{ activity: 'on_queue', start: at('09:00'), end: at('17:00') }]]]),
        ],
      ]),
    }
    // Not ready (no reason) from 10:00: against on_queue at once; past 5 min an overrun
    // (its own 15-minute limit is not reached yet).
    const away = [state('09:00', 'available'), state('10:00', 'not_ready')]
    expect(overrun(away, '10:05', config)).toBeNull()
    expect(overrun(away, '10:05:01', config)).toEqual({
      kind: 'adherence',
      since: at('10:00'),
      limitMs: 5 * MIN,
    })
  })
})

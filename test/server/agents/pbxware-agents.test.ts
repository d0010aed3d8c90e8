import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { emptyAgentCounters } from '../../../shared/agent-figures.ts'
import { dayStartOf, nextDayStart } from '../../../shared/windows.ts'
import { parseQueueLogCsv } from '../../../server/adapters/queue-log-csv.ts'
import { AgentEngine } from '../../../server/agents/agent-engine.ts'
import { memberResolver } from '../../../server/agents/member-names.ts'

// The real PBXware export: 1,000 queue_log rows, 2018-11-29 … 12-04, queue IT, six callback
// agents who join as `Local/11xx@callback-agent` (ADDMEMBER) and `Agent/11xx`
// (AGENTCALLBACKLOGIN, CONNECT, RINGNOANSWER, OUTDIAL …). The site's local time (the
// export's `time` column) is UTC−5: America/Bogota. The file ends mid-call.
//
// Expected values were worked out apart from callboard, by marking every second of every
// agent's day in Python, with no buckets and no state machine:
//
//   agent = re.sub(r'^[A-Za-z]+/([^@/]+).*$', r'\1', member)
//   logged in from ADDMEMBER/AGENTCALLBACKLOGIN to REMOVEMEMBER/AGENTCALLBACKLOGOFF (or the
//     last line, 1543942851); talking from CONNECT to COMPLETE*/​*TRANSFER of the same
//     callid (or the last line); outbound from OUTDIAL (while logged in) to the next
//     OUTANSWER/OUTCANCEL/OUTCHANUNAVAIL/OUTCONGESTION/OUTTRANSFER of the callid, or logoff
//   for s in session seconds: mark[s] = 'available'; then outbound over it where logged
//     in; then talking over both (agent 1144 logs off at 10:16 mid-call; the call, and so
//     her time, runs on to 10:24:54)
//   totals = Counter(mark.values()); per day = Counter((s − 5·3600) // 86400 for s in mark)
//   handled = count of COMPLETE*/​*TRANSFER lines; AHT = Σ ttime ÷ handled;
//   ringNoAnswer = count of RINGNOANSWER lines
//
// and against PBXware's own figure: AGENTCALLBACKLOGOFF's second parameter is the seconds
// the agent was logged in, e.g. 25195 for 1141 on 11-30.
const EXPECTED = {
  //     available outbound talking handled Σttime rna  state at the end
  '1109': [124867, 7054, 5985, 16, 5524, 64, 'talking'],
  '1126': [57797, 455, 3887, 13, 3887, 50, 'available'],
  '1127': [53977, 938, 4489, 17, 3842, 58, 'talking'],
  '1128': [54721, 2704, 2110, 13, 2110, 25, 'logged_out'],
  '1141': [52566, 626, 5359, 22, 5358, 110, 'available'],
  '1144': [74913, 1105, 3193, 10, 3192, 53, 'logged_out'],
} as const

/** Seconds logged in per local day (America/Bogota), from the same per-second marks. */
const PER_DAY: Record<string, Record<string, number>> = {
  '1109': { '2018-12-01': 24400, '2018-12-03': 70255, '2018-12-04': 43251 },
  '1126': { '2018-12-03': 30584, '2018-12-04': 31555 },
  '1127': { '2018-11-30': 27744, '2018-12-03': 29751, '2018-12-04': 1909 },
  '1128': { '2018-12-03': 26461, '2018-12-04': 33074 },
  '1141': { '2018-11-30': 25195, '2018-12-03': 31204, '2018-12-04': 2152 },
  '1144': { '2018-12-03': 41717, '2018-12-04': 37494 },
}

const BOGOTA = { tz: 'America/Bogota', dayStartMinutes: 0, intervalMinutes: 30 as const }
const LAST_LINE_MS = 1543942851_000

function replay(): AgentEngine {
  const events = parseQueueLogCsv(readFileSync('test/fixtures/pbxware-queue-log.csv', 'utf8'))
  const engine = new AgentEngine({
    resolve: memberResolver(new Map()),
    wrapReasons: [],
    retainMs: null,
    clockLimit: null,
  })
  for (const event of events) engine.apply(event)
  return engine
}

describe('agents on the real PBXware log', () => {
  const engine = replay()

  it('knows six agents: Local/11xx@callback-agent and Agent/11xx are one person', () => {
    expect(engine.ids().sort()).toEqual(Object.keys(EXPECTED))
    expect([...(engine.get('1127')?.queues ?? [])]).toEqual(['IT'])
  })

  it('gives each agent the time per state, calls, AHT and rings worked out apart', () => {
    for (const [id, [available, outbound, talking, handled, talkSum, rna, state]] of Object.entries(
      EXPECTED,
    )) {
      const counters = engine.sumAgent(emptyAgentCounters(), id, 0, LAST_LINE_MS, false)

      expect.soft(counters, id).toMatchObject({
        available: available * 1000,
        outbound: outbound * 1000,
        talking: talking * 1000,
        not_ready: 0,
        handledCalls: handled,
        handledCallMs: talkSum * 1000,
        ringNoAnswer: rna,
      })
      expect.soft(engine.get(id)?.ledger.state, id).toBe(state)
    }
  })

  it('clips logged-in time to the local day it was spent in, as PBXware counts it', () => {
    for (const [id, days] of Object.entries(PER_DAY)) {
      for (const [date, seconds] of Object.entries(days)) {
        const start = dayStartOf(Date.parse(`${date}T12:00:00-05:00`), BOGOTA)
        const end = Math.min(nextDayStart(start, BOGOTA) - 1, LAST_LINE_MS)
        const counters = engine.sumAgent(emptyAgentCounters(), id, start, end, false)
        const loggedIn = counters.available + counters.outbound + counters.talking

        expect.soft(loggedIn, `${id} ${date}`).toBe(seconds * 1000)
      }
    }

    // Sessions inside one day equal PBXware's own logintime (AGENTCALLBACKLOGOFF param2).
    expect(PER_DAY['1141']?.['2018-11-30']).toBe(25195)
    expect(PER_DAY['1127']?.['2018-11-30']).toBe(27744)
    expect(PER_DAY['1128']?.['2018-12-04']).toBe(33074)
  })

  it('shows a logged-off agent as logged out, and a login as available again', () => {
    // 1144 logged off at 1543936560 (10:16 local) during a call that ended at 10:24:54.
    const segments = engine.get('1144')?.ledger.segments ?? []
    expect(segments.slice(-2)).toEqual([
      { state: 'talking', reason: null, start: expect.any(Number) },
      { state: 'logged_out', reason: null, start: 1543937094_000 },
    ])
  })
})

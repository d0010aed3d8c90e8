import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parseQueueLogCsv } from '../../../server/adapters/queue-log-csv.ts'
import { InputError } from '../../../server/errors.ts'
import type { CanonicalEvent } from '../../../shared/events.ts'

// A production PBXware export: 1,000 rows, uid 1…1000 in order, so row uid N is event N-1.
const EXPORT = readFileSync(
  new URL('../../fixtures/pbxware-queue-log.csv', import.meta.url),
  'utf8',
)
const events = parseQueueLogCsv(EXPORT)

function row(uid: number): CanonicalEvent | undefined {
  return events[uid - 1]
}

function sum(type: string, pick: (event: Record<string, unknown>) => unknown): number {
  return events
    .filter((event) => event.type === type)
    .reduce((total, event) => total + Number(pick(event)), 0)
}

function errorOf(text: string): InputError {
  try {
    parseQueueLogCsv(text)
  } catch (error) {
    if (error instanceof InputError) return error
    throw error
  }

  throw new Error('expected an InputError, nothing was thrown')
}

describe('parseQueueLogCsv on a real PBXware export', () => {
  it('maps every row, with counts per type matching the event column', () => {
    // awk -F, 'NR>1 {n[$6]++} END {for (e in n) print n[e], e}' pbxware-queue-log.csv
    // 108 ENTERQUEUE, 93 CONNECT, 12 ABANDON, 1 EXITWITHTIMEOUT, 51 COMPLETEAGENT,
    // 38 COMPLETECALLER, 1 ATTENDEDTRANSFER, 1 BLINDTRANSFER; the other 695 rows are
    // RINGNOANSWER, OUT*, logins, members, QUEUESTART and CONFIGRELOAD.
    const counts: Record<string, number> = {}
    for (const event of events) counts[event.type] = (counts[event.type] ?? 0) + 1

    expect(events).toHaveLength(1000)
    expect(counts).toEqual({
      'call.enter': 108,
      'call.answer': 93,
      'call.abandon': 12,
      'call.exit': 1,
      'call.end': 91,
      other: 695,
    })
  })

  it('keeps the end reasons apart', () => {
    const reasons = events.flatMap((event) => (event.type === 'call.end' ? [event.reason] : []))

    expect(reasons.filter((reason) => reason === 'agent')).toHaveLength(51)
    expect(reasons.filter((reason) => reason === 'caller')).toHaveLength(38)
    expect(reasons.filter((reason) => reason === 'transfer')).toHaveLength(2)
  })

  it('takes wait, ring and talk times from htime, param3 and ttime', () => {
    // awk -F, 'NR>1 && $6=="CONNECT" {w+=$12; r+=$9} END {print w, r}'  → 3599 387
    expect(sum('call.answer', (event) => event.waitMs)).toBe(3_599_000)
    expect(sum('call.answer', (event) => event.ringMs)).toBe(387_000)
    // awk -F, 'NR>1 && $6 ~ /^(COMPLETE(CALLER|AGENT)|(BLIND|ATTENDED)?TRANSFER)$/
    //   {t+=$13} END {print t}'  → 23913
    expect(sum('call.end', (event) => event.talkMs)).toBe(23_913_000)
    // awk -F, 'NR>1 && $6 ~ /^(ABANDON|EXIT.*)$/ {w+=$12} END {print w}'  → 1441
    const unanswered = sum('call.abandon', (e) => e.waitMs) + sum('call.exit', (e) => e.waitMs)
    expect(unanswered).toBe(1_441_000)
  })

  it('maps row 13, an ENTERQUEUE, with the caller id from param1', () => {
    expect(row(13)).toStrictEqual({
      type: 'call.enter',
      ts: 1543602677000,
      queue: 'IT',
      callId: '1543602660.197',
      callerId: '5550001',
    })
  })

  it('maps row 19, a CONNECT, to its wait, ring and member', () => {
    expect(row(19)).toStrictEqual({
      type: 'call.answer',
      ts: 1543602753000,
      queue: 'IT',
      callId: '1543602660.197',
      agent: 'Agent/1127',
      waitMs: 76_000,
      ringMs: 6000,
    })
  })

  it('maps row 20, a COMPLETECALLER, to call.end with talk time from ttime', () => {
    expect(row(20)).toStrictEqual({
      type: 'call.end',
      ts: 1543603600000,
      queue: 'IT',
      callId: '1543602660.197',
      agent: 'Agent/1127',
      talkMs: 847_000,
      holdMs: 0,
      wrapMs: 0,
      reason: 'caller',
    })
  })

  it('maps rows 295 and 526, an ABANDON and an EXITWITHTIMEOUT, to their wait', () => {
    expect(row(295)).toStrictEqual({
      type: 'call.abandon',
      ts: 1543852316000,
      queue: 'IT',
      callId: '1543852103.1644',
      waitMs: 197_000,
    })
    expect(row(526)).toMatchObject({ type: 'call.exit', reason: 'timeout', waitMs: 300_000 })
  })

  it('maps rows 177 and 928, the two transfers, to call.end with reason transfer', () => {
    expect(row(177)).toMatchObject({ agent: 'Agent/1128', talkMs: 30_000, reason: 'transfer' })
    expect(row(928)).toMatchObject({ agent: 'Agent/1128', talkMs: 38_000, reason: 'transfer' })
  })

  it('keeps other rows with every value column, RINGNOANSWER ring ms included', () => {
    expect(row(1)).toStrictEqual({
      type: 'other',
      ts: 1543527289000,
      name: 'QUEUESTART',
      data: ['', '', '', '0', '0', '0', '0'],
    })
    expect(row(14)).toStrictEqual({
      type: 'other',
      ts: 1543602687000,
      name: 'RINGNOANSWER',
      queue: 'IT',
      callId: '1543602660.197',
      agent: 'Agent/1141',
      data: ['5550001', '', '', '1', '1', '10000', '0'],
    })
    expect(row(12)).toMatchObject({ name: 'OUTANSWER', agent: 'Agent/1127' })
    expect(row(12)).not.toHaveProperty('queue')
  })

  it('leaves the two callers of the last minute waiting, as the export ends mid-call', () => {
    const finished = new Set(
      events.flatMap((event) =>
        ['call.answer', 'call.abandon', 'call.exit'].includes(event.type) && 'callId' in event
          ? [event.callId]
          : [],
      ),
    )
    const waiting = events.filter((e) => e.type === 'call.enter' && !finished.has(e.callId))

    expect(waiting.map((event) => 'callId' in event && event.callId)).toEqual([
      '1543942788.2389',
      '1543942842.2438',
    ])
  })
})

describe('parseQueueLogCsv refusing bad input', () => {
  const HEADER = EXPORT.split('\n')[0] ?? ''
  const CONNECT = '19,1543602753,1543602660.197,IT,Agent/1127,CONNECT,,1.2,6,0,0,76,0,x'
  const ENTER = '13,1543602677,1543602660.197,IT,NONE,ENTERQUEUE,5550001,,,1,0,0,0,x'

  it('names a missing column on the header line', () => {
    const error = errorOf(`${HEADER.replace(',htime', '')}\n`)

    expect(error).toMatchObject({ line: 1, field: 'htime' })
    expect(error.message).toMatch(/^expected a column "htime" in the header, got "uid,/)
  })

  it('counts blank lines before the header', () => {
    expect(errorOf(`\n\n${HEADER.replace('event', 'evt')}\n`)).toMatchObject({
      line: 3,
      field: 'event',
    })
  })

  it('names the line and the column of a bad value in the middle of the body', () => {
    const error = errorOf([HEADER, ENTER, CONNECT.replace(',76,', ',7.6,'), ENTER].join('\n'))

    expect(error).toMatchObject({ line: 3, field: 'htime' })
    expect(error.message).toBe('expected a whole number of seconds, got "7.6"')
  })

  it('names param3 when the ring time of a CONNECT is not a number', () => {
    expect(errorOf([HEADER, CONNECT.replace(',6,', ',six,')].join('\n'))).toMatchObject({
      line: 2,
      field: 'param3',
    })
  })

  it('names queue_name, callid, date_time and event columns', () => {
    const cases: Array<[string, string]> = [
      [ENTER.replace(',IT,', ',NONE,'), 'queue_name'],
      [ENTER.replace(',1543602660.197,', ',,'), 'callid'],
      [ENTER.replace(',1543602677,', ',yesterday,'), 'date_time'],
      [ENTER.replace(',ENTERQUEUE,', ',enterqueue,'), 'event'],
      [CONNECT.replace(',Agent/1127,', ',NONE,'), 'type'],
    ]

    for (const [line, field] of cases) {
      expect(errorOf(`${HEADER}\n${line}`)).toMatchObject({ line: 2, field })
    }
  })

  it('turns a row with the wrong number of values into an error on its line', () => {
    const error = errorOf([HEADER, ENTER, '', ENTER.replace(',x', '')].join('\r\n'))

    expect(error.line).toBe(4)
    expect(error.message).toMatch(/columns length is 14, got 13/)
  })
})

import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parseQueueLog } from '../../../server/adapters/queue-log.ts'
import type { CanonicalEvent } from '../../../shared/events.ts'

const SAMPLE = readFileSync(new URL('../../fixtures/queue-log-sample.txt', import.meta.url), 'utf8')
const events = parseQueueLog(SAMPLE)

/** The event read from a 1-based line of the sample; line 6 is blank and yields none. */
function fromLine(line: number): CanonicalEvent | undefined {
  const nonBlankBefore = SAMPLE.split('\n')
    .slice(0, line - 1)
    .filter((text) => text.trim() !== '').length

  return events[nonBlankBefore]
}

describe('parseQueueLog on a sample queue_log', () => {
  it('yields one event per non-blank line, counted per type by hand', () => {
    const counts: Record<string, number> = {}
    for (const event of events) counts[event.type] = (counts[event.type] ?? 0) + 1

    expect(events).toHaveLength(37)
    expect(counts).toEqual({
      'call.enter': 10,
      'call.answer': 5,
      'call.abandon': 1,
      'call.exit': 3,
      'call.end': 5,
      other: 13,
    })
  })

  it('maps ENTERQUEUE to call.enter with the caller id, keeping a Chinese queue name', () => {
    expect(fromLine(7)).toStrictEqual({
      type: 'call.enter',
      ts: 1710118860000,
      queue: '报修热线',
      callId: '1710118858.11',
      callerId: '13800138000',
    })
    expect(fromLine(10)).toMatchObject({ queue: 'sales', callerId: '+8610555123' })
  })

  it('leaves callerId out when ENTERQUEUE logs none', () => {
    expect(fromLine(22)).toStrictEqual({
      type: 'call.enter',
      ts: 1710119300000,
      queue: 'billing',
      callId: '1710119299.50',
    })
  })

  it('maps CONNECT to call.answer with wait and ring time in ms', () => {
    expect(fromLine(9)).toStrictEqual({
      type: 'call.answer',
      ts: 1710118880000,
      queue: '报修热线',
      callId: '1710118858.11',
      agent: 'Local/1002@from-queue/n',
      waitMs: 20_000,
      ringMs: 8000,
    })
    expect(fromLine(11)).toMatchObject({ agent: 'Agent/1003', waitMs: 5000, ringMs: 4000 })
  })

  it('leaves ringMs out when CONNECT has no ringtime, as older Asterisk writes it', () => {
    const answer = fromLine(31)

    expect(answer).toMatchObject({ type: 'call.answer', agent: 'PJSIP/1001', waitMs: 7000 })
    expect(answer).not.toHaveProperty('ringMs')
  })

  it('maps ABANDON to call.abandon with its waittime', () => {
    expect(fromLine(14)).toStrictEqual({
      type: 'call.abandon',
      ts: 1710118945000,
      queue: '报修热线',
      callId: '1710118909.25',
      waitMs: 35_000,
    })
  })

  it('maps the three EXIT events to call.exit with their reason and waittime', () => {
    expect(fromLine(21)).toMatchObject({ type: 'call.exit', reason: 'key', waitMs: 42_000 })
    expect(fromLine(23)).toMatchObject({ type: 'call.exit', reason: 'empty', waitMs: 0 })
    expect(fromLine(32)).toStrictEqual({
      type: 'call.exit',
      ts: 1710119500000,
      queue: 'sales',
      callId: '1710119199.40',
      waitMs: 300_000,
      reason: 'timeout',
    })
  })

  it('maps COMPLETEAGENT and COMPLETECALLER to call.end with calltime as talk time', () => {
    expect(fromLine(16)).toStrictEqual({
      type: 'call.end',
      ts: 1710119075000,
      queue: 'sales',
      callId: '1710118889.20',
      agent: 'Agent/1003',
      talkMs: 180_000,
      holdMs: 0,
      wrapMs: 0,
      reason: 'agent',
    })
    expect(fromLine(17)).toMatchObject({ reason: 'caller', talkMs: 245_000, holdMs: 0 })
  })

  it('maps the three transfer events to call.end with reason transfer', () => {
    expect(fromLine(29)).toMatchObject({ agent: 'PJSIP/1001', talkMs: 95_000 })
    expect(fromLine(33)).toMatchObject({ agent: 'PJSIP/1001', talkMs: 60_000 })
    expect(fromLine(34)).toMatchObject({ agent: 'Local/1002@from-queue/n', talkMs: 130_000 })

    for (const line of [29, 33, 34]) {
      expect(fromLine(line)).toMatchObject({ type: 'call.end', reason: 'transfer' })
    }
  })

  it('keeps other events with their name, the ids that apply and the data verbatim', () => {
    expect(fromLine(1)).toStrictEqual({
      type: 'other',
      ts: 1710118800000,
      name: 'QUEUESTART',
      data: [''],
    })
    expect(fromLine(8)).toStrictEqual({
      type: 'other',
      ts: 1710118872000,
      name: 'RINGNOANSWER',
      queue: '报修热线',
      callId: '1710118858.11',
      agent: 'PJSIP/1001',
      data: ['12000'],
    })
    expect(fromLine(18)).toStrictEqual({
      type: 'other',
      ts: 1710119140000,
      name: 'OUTDIAL',
      callId: '1710119140.30',
      agent: 'Agent/1003',
      data: ['13700137000', 'from-internal'],
    })
    expect(fromLine(15)).toMatchObject({ type: 'other', name: 'CONFIGRELOAD' })
    expect(fromLine(36)).toMatchObject({ type: 'other', name: 'SURVEYSCORE', data: ['5'] })
  })

  it('leaves the last caller waiting: entered, never answered or gone', () => {
    const finished = new Set(
      events
        .filter((event) => ['call.answer', 'call.abandon', 'call.exit'].includes(event.type))
        .map((event) => ('callId' in event ? event.callId : undefined)),
    )
    const waiting = events.filter((e) => e.type === 'call.enter' && !finished.has(e.callId))

    expect(waiting).toStrictEqual([
      {
        type: 'call.enter',
        ts: 1710119650000,
        queue: '报修热线',
        callId: '1710119648.70',
        callerId: '13200132000',
      },
    ])
  })
})

describe('parseQueueLog on line endings and times', () => {
  it('reads CRLF line endings and a byte-order mark the same as LF', () => {
    const windows = '\uFEFF' + SAMPLE.replaceAll('\n', '\r\n')

    expect(parseQueueLog(windows)).toStrictEqual(events)
  })

  it('skips lines of spaces and trailing blank lines', () => {
    const text = '  \n1710118800|NONE|NONE|NONE|QUEUESTART|\n\t\n\n'

    expect(parseQueueLog(text)).toHaveLength(1)
  })

  it('rounds an epoch with a fraction of a second to the millisecond', () => {
    const [event] = parseQueueLog('1710118800.4567|NONE|NONE|NONE|QUEUESTART|')

    expect(event?.ts).toBe(1710118800457)
  })

  it('returns no events for an empty body', () => {
    expect(parseQueueLog('')).toStrictEqual([])
  })

  it('keeps quotes and commas in a caller id as data', () => {
    const line = '1710118860|1.1|q|NONE|ENTERQUEUE||"Wang, Wei" <555>|1'

    expect(parseQueueLog(line)[0]).toMatchObject({ callerId: '"Wang, Wei" <555>' })
  })
})

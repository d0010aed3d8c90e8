import { describe, expect, it } from 'vitest'
import type { TimeSettings } from '../../../shared/windows.ts'
import {
  buildSchedule,
  checkOverlaps,
  type ScheduleContext,
} from '../../../server/agents/schedule-import.ts'
import { readCsvRows, readJsonRows } from '../../../server/agents/schedule-rows.ts'
import { UploadError } from '../../../server/agents/upload-error.ts'

const SHANGHAI: TimeSettings = { tz: 'Asia/Shanghai', dayStartMinutes: 0, intervalMinutes: 30 }

function context(time: TimeSettings = SHANGHAI): ScheduleContext {
  return {
    time,
    activities: ['on_queue', 'break', 'lunch'],
    resolve: (name) => name.replace(/^PJSIP\//, ''),
    isKnownAgent: (id) => ['1001', '1002'].includes(id),
  }
}

/** The activities of one agent on one day, as ISO instants (UTC). */
function day(csv: string, date: string, agent: string, time?: TimeSettings) {
  const { days } = buildSchedule(readCsvRows(csv), context(time))
  return (days.get(date)?.get(agent) ?? []).map((a) => [
    a.activity,
    new Date(a.start).toISOString(),
    new Date(a.end).toISOString(),
  ])
}

function problems(run: () => unknown) {
  try {
    run()
  } catch (error) {
    if (error instanceof UploadError) return error.problems
    throw error
  }
  throw new Error('expected the upload to be refused')
}

describe('schedule import', () => {
  it('reads the handbook shifts in the site time zone (Shanghai is UTC+8)', () => {
    const csv = [
      'agent,date,activity,start,end',
      '1001,2024-12-03,on_queue,08:45,12:00',
      '1001,2024-12-03,lunch,12:00,13:30',
      '1001,2024-12-03,on_queue,13:30,17:30',
    ].join('\n')

    // 08:45 in Shanghai is 00:45 UTC.
    expect(day(csv, '2024-12-03', '1001')).toEqual([
      ['on_queue', '2024-12-03T00:45:00.000Z', '2024-12-03T04:00:00.000Z'],
      ['lunch', '2024-12-03T04:00:00.000Z', '2024-12-03T05:30:00.000Z'],
      ['on_queue', '2024-12-03T05:30:00.000Z', '2024-12-03T09:30:00.000Z'],
    ])
  })

  it('lets a shift cross midnight: an end at or before its start is the next day', () => {
    const csv = [
      'agent,date,activity,start,end',
      '1001,2024-12-03,on_queue,22:00,02:00',
      '1001,2024-12-03,break,2024-12-04 02:00,2024-12-04 02:15',
      '1001,2024-12-03,on_queue,2024-12-04 02:15,2024-12-04 06:00',
    ].join('\n')

    // 22:00 on the 3rd in Shanghai is 14:00 UTC; 02:00 on the 4th is 18:00 UTC on the 3rd.
    expect(day(csv, '2024-12-03', '1001')).toEqual([
      ['on_queue', '2024-12-03T14:00:00.000Z', '2024-12-03T18:00:00.000Z'],
      ['break', '2024-12-03T18:00:00.000Z', '2024-12-03T18:15:00.000Z'],
      ['on_queue', '2024-12-03T18:15:00.000Z', '2024-12-03T22:00:00.000Z'],
    ])
  })

  it('puts a clock time before a 04:00 day start on the day’s second date', () => {
    const time = { ...SHANGHAI, dayStartMinutes: 4 * 60 }
    const csv = 'agent,date,activity,start,end\n1001,2024-12-03,break,02:00,02:15'

    expect(day(csv, '2024-12-03', '1001', time)).toEqual([
      ['break', '2024-12-03T18:00:00.000Z', '2024-12-03T18:15:00.000Z'],
    ])
  })

  it('reads JSON rows with full times; a row without a date goes to its start’s day', () => {
    const rows = readJsonRows(
      JSON.stringify([
        {
          agent: 'PJSIP/1002',
          activity: 'on_queue',
          start: '2024-12-03T09:00',
          end: '2024-12-03 17:00',
        },
      ]),
    )
    const { days } = buildSchedule(rows, context())

    expect([...days.keys()]).toEqual(['2024-12-03'])
    // 09:00 and 17:00 in Shanghai are 01:00 and 09:00 UTC.
    expect(days.get('2024-12-03')?.get('1002')).toEqual([
      expect.objectContaining({
        activity: 'on_queue',
        start: Date.UTC(2024, 11, 3, 1),
        end: Date.UTC(2024, 11, 3, 9),
      }),
    ])
  })

  it('refuses unknown agents and activities and bad times, naming every row', () => {
    const csv = [
      'agent,date,activity,start,end',
      '9999,2024-12-03,on_queue,08:45,12:00',
      '1001,2024-12-03,nap,12:00,13:00',
      '1001,2024-12-03,on_queue,25:00,26:00',
      '1001,2024-12-03,on_queue,2024-12-03 17:00,2024-12-03 16:00',
      '1001,2024-12-03,on_queue,2024-12-03 08:00,2024-12-05 08:00',
      '1001,2024-12-32,on_queue,08:00,09:00',
      '1001,,on_queue,08:00,09:00',
    ].join('\n')

    expect(problems(() => buildSchedule(readCsvRows(csv), context()))).toEqual([
      expect.objectContaining({
        row: 1,
        line: 2,
        field: 'agent',
        reason: expect.stringContaining('unknown agent "9999"'),
      }),
      expect.objectContaining({
        row: 2,
        field: 'activity',
        reason: expect.stringContaining('on_queue, break, lunch'),
      }),
      expect.objectContaining({ row: 3, field: 'start', reason: expect.stringContaining('25:00') }),
      expect.objectContaining({ row: 4, field: 'end', reason: 'expected an end after the start' }),
      expect.objectContaining({
        row: 5,
        field: 'end',
        reason: 'expected an activity of at most 24 hours',
      }),
      expect.objectContaining({ row: 6, field: 'date' }),
      expect.objectContaining({
        row: 7,
        field: 'start',
        reason: expect.stringContaining('needs the row'),
      }),
    ])
  })

  it('refuses a time that never happens: 02:30 on the spring-forward night in New York', () => {
    const time = { tz: 'America/New_York', dayStartMinutes: 0, intervalMinutes: 30 as const }
    const csv = 'agent,date,activity,start,end\n1001,2026-03-08,on_queue,02:30,06:00'

    expect(problems(() => buildSchedule(readCsvRows(csv), context(time)))).toEqual([
      expect.objectContaining({
        row: 1,
        field: 'start',
        reason: expect.stringContaining('does not exist'),
      }),
    ])
  })

  it('refuses overlapping activities, in the upload and against a stored neighbouring day', () => {
    const overlapping = [
      'agent,date,activity,start,end',
      '1001,2024-12-03,on_queue,09:00,12:30',
      '1001,2024-12-03,lunch,12:00,13:00',
    ].join('\n')
    const upload = buildSchedule(readCsvRows(overlapping), context())
    expect(problems(() => checkOverlaps(upload, () => undefined, 'Asia/Shanghai'))).toEqual([
      expect.objectContaining({
        row: 2,
        field: 'start',
        reason: 'overlaps row 1 (on_queue from 2024-12-03 09:00)',
      }),
    ])

    // The night shift stored for the 2nd runs to 06:00 on the 3rd, Shanghai time.
    const night = [
      { activity: 'on_queue', start: Date.UTC(2024, 11, 2, 14), end: Date.UTC(2024, 11, 2, 22) },
    ]
    const early = buildSchedule(
      readCsvRows('agent,date,activity,start,end\n1001,2024-12-03,on_queue,05:00,09:00'),
      context(),
    )
    const stored = (date: string, agent: string) =>
      date === '2024-12-02' && agent === '1001' ? night : undefined
    expect(problems(() => checkOverlaps(early, stored, 'Asia/Shanghai'))).toEqual([
      expect.objectContaining({
        row: 1,
        reason: 'overlaps on_queue from 2024-12-02 22:00, already scheduled for 2024-12-02',
      }),
    ])
  })

  it('refuses unknown columns and JSON fields', () => {
    expect(
      problems(() => readCsvRows('agent,activity,begin,end\n1001,on_queue,08:00,09:00')),
    ).toEqual([expect.objectContaining({ line: 1, field: 'begin' })])
    const json = JSON.stringify([
      { agent: '1001', activity: 'on_queue', strat: '08:00', end: '09:00' },
    ])
    expect(problems(() => readJsonRows(json)).map((p) => p.field)).toEqual(['start', 'strat'])
  })
})

import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parseQueueLogCsv } from '../../../server/adapters/queue-log-csv.ts'
import { buildReport } from '../../../server/engine/report.ts'

// Expected figures of the real PBXware export (queue IT, site clock UTC−5), worked out
// apart from callboard with this Python over the CSV, following docs/domain.md:
//
//   for r in csv.DictReader(open('pbxware-queue-log.csv')):
//     key = (queue_name, callid)
//     ENTERQUEUE → enter[key] = ts
//     CONNECT/ABANDON/EXIT* (first per key) → wait = htime; SL event at ts if wait ≤ 20
//       else at min(enter + 20, ts); offered +1 on the SL event's day, met if CONNECT
//       and wait ≤ 20; answered (+wait) / abandoned / exited on the day of ts
//     COMPLETE*/…TRANSFER in a queue → handled +1, talk += ttime on the day of ts
//   calls never leaving (2, at the end of the file) → offered on the day of enter + 20
//
// 2018-11-30 offered 13, met 7, answered 13 (waits 364 s), handled 13 (talk 3541 s)
// 2018-12-03 offered 61, met 20, answered 53 (2546 s), abandoned 7, exited 1, handled 53
//            (12856 s)
// 2018-12-04 offered 34, met 12, answered 27 (689 s), abandoned 5, handled 25 (7516 s)
describe('report of the real PBXware queue_log export', () => {
  const text = readFileSync(
    new URL('../../fixtures/pbxware-queue-log.csv', import.meta.url),
    'utf8',
  )
  const report = buildReport(parseQueueLogCsv(text), {
    time: { tz: 'America/Bogota', dayStartMinutes: 0, intervalMinutes: 30 },
    thresholdSeconds: 20,
    now: Date.parse('2026-12-03T00:00:00Z'),
  })
  const day = (date: string) => report.days.find((d) => d.date === date)?.queues.IT

  it('finds the three days with queue calls', () => {
    const withCalls = report.days.filter((d) => d.total.offered > 0).map((d) => d.date)
    expect(withCalls).toEqual(['2018-11-30', '2018-12-03', '2018-12-04'])
  })

  it('matches the independently computed figures of each day', () => {
    expect(day('2018-11-30')).toMatchObject({
      offered: 13,
      answeredWithinThreshold: 7,
      answered: 13,
    })
    expect(day('2018-11-30')?.asa).toBeCloseTo(364 / 13, 9)
    expect(day('2018-11-30')?.aht).toBeCloseTo(3541 / 13, 9)

    expect(day('2018-12-03')).toMatchObject({
      offered: 61,
      answeredWithinThreshold: 20,
      answered: 53,
      abandoned: 7,
      exited: 1,
      handled: 53,
    })
    expect(day('2018-12-03')?.serviceLevel).toBeCloseTo(20 / 61, 12)
    expect(day('2018-12-03')?.asa).toBeCloseTo(2546 / 53, 9)
    expect(day('2018-12-03')?.aht).toBeCloseTo(12856 / 53, 9)

    expect(day('2018-12-04')).toMatchObject({
      offered: 34,
      answeredWithinThreshold: 12,
      abandoned: 5,
    })
    expect(day('2018-12-04')?.abandonRate).toBeCloseTo(5 / 34, 12)
    expect(day('2018-12-04')?.asa).toBeCloseTo(689 / 27, 9)
    expect(day('2018-12-04')?.aht).toBeCloseTo(7516 / 25, 9)
  })

  it('offers every one of the 108 calls that entered the queue exactly once', () => {
    const offered = report.days.reduce((sum, d) => sum + d.total.offered, 0)
    expect(offered).toBe(108)
  })
})

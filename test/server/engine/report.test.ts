import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parseQueueLog } from '../../../server/adapters/queue-log.ts'
import { Engine, ENGINE_DEFAULTS } from '../../../server/engine/engine.ts'
import { buildReport } from '../../../server/engine/report.ts'
import { takeSnapshot } from '../../../server/engine/snapshot.ts'

const shanghai = { tz: 'Asia/Shanghai', dayStartMinutes: 0, intervalMinutes: 30 as const }
const text = readFileSync(
  new URL('../../fixtures/shanghai-midnight.queue_log', import.meta.url),
  'utf8',
)
const MIDNIGHT = Date.parse('2026-11-30T16:00:00Z') // 2026-12-01 00:00 in Shanghai

// The fixture, worked out by hand (T = 20 s; M = local midnight into 1 December):
//   报修热线 c1 enters M−20:00, answered after 10 s, talks 300 s      → 30 Nov: met, AHT 300
//   报修热线 c3 enters M−0:30, abandons after 15 s                    → 30 Nov: offered, abandoned
//   Sales    c4 enters M−10:00, times out after 300 s (miss at +20 s)  → 30 Nov: offered, exited
//   报修热线 c2 enters M−0:10, answered after 30 s (miss at M+0:10)   → 1 Dec: miss, ASA 30, AHT 120
//   Sales    c5 enters M+10:00, answered after exactly 20 s, talks 300 → 1 Dec: met, AHT 300
//   Sales    c6 enters M+20:00, abandons after 45 s (miss at +20 s)    → 1 Dec: miss, abandoned
//   报修热线 c7 enters M+30:00, still waiting when the file ends        → 1 Dec: miss at M+30:20
// 30 Nov: offered 3, met 1 (SL 1/3), answered 1, abandoned 1, exited 1, ASA 10, AHT 300.
// 1 Dec:  offered 4, met 1 (SL 25 %), answered 2, abandoned 1, ASA (30+20)/2 = 25,
//         AHT (120+300)/2 = 210; interval 00:00 offered 3 (c2, c5, c6), 00:30 offered 1 (c7).
describe('buildReport', () => {
  const report = buildReport(parseQueueLog(text), {
    time: shanghai,
    thresholdSeconds: 20,
    now: Date.parse('2027-01-01T00:00:00Z'),
  })

  it('splits a night that crosses local midnight in Asia/Shanghai into two days', () => {
    expect(report.days.map((day) => day.date)).toEqual(['2026-11-30', '2026-12-01'])
    const [first, second] = report.days

    expect(first?.total).toMatchObject({
      offered: 3,
      answeredWithinThreshold: 1,
      answered: 1,
      abandoned: 1,
      exited: 1,
      asa: 10,
      aht: 300,
    })
    expect(first?.total.serviceLevel).toBeCloseTo(1 / 3, 12)
    expect(second?.total).toMatchObject({
      offered: 4,
      answeredWithinThreshold: 1,
      serviceLevel: 0.25,
      answered: 2,
      abandoned: 1,
      abandonRate: 0.25,
      asa: 25,
      aht: 210,
      waiting: null,
    })
  })

  it('reports per queue and per local half-hour', () => {
    const [first, second] = report.days

    expect(first?.queues['报修热线']).toMatchObject({ offered: 2, serviceLevel: 0.5, aht: 300 })
    expect(first?.queues.Sales).toMatchObject({ offered: 1, serviceLevel: 0, exited: 1 })
    expect(second?.queues['报修热线']).toMatchObject({ offered: 2, serviceLevel: 0, asa: 30 })
    expect(second?.queues.Sales).toMatchObject({ offered: 2, serviceLevel: 0.5, aht: 300 })

    expect(second?.intervals).toHaveLength(48)
    expect(second?.intervals[0]).toMatchObject({
      start: '00:00',
      total: { offered: 3, answered: 2 },
    })
    expect(second?.intervals[1]).toMatchObject({ start: '00:30', total: { offered: 1 } })
    expect(first?.intervals[47]).toMatchObject({ start: '23:30', total: { offered: 3 } })
  })

  it('agrees with the live engine fed the same events at the same moment', () => {
    const now = MIDNIGHT + 40 * 60_000
    const live = new Engine({ ...ENGINE_DEFAULTS, time: shanghai })
    for (const event of parseQueueLog(text)) live.apply(event)
    live.advance(now)

    const snapshot = takeSnapshot(live, { window: 'today', now, streamId: '', target: 0.8 })
    const today = buildReport(parseQueueLog(text), { time: shanghai, thresholdSeconds: 20, now })
      .days[1]

    expect({ ...snapshot.total, waiting: null, longestWait: null }).toEqual(today?.total)
    expect(snapshot.total).toMatchObject({ waiting: 1, longestWait: 600 })
  })
})

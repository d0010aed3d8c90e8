import { execFile } from 'node:child_process'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Snapshot } from '../../shared/protocol.ts'
import { dayLabel, dayStartOf } from '../../shared/windows.ts'
import { parseQueueLog } from '../../server/adapters/queue-log.ts'
import { createSimulator } from '../../server/demo/simulator.ts'
import type { Report } from '../../server/engine/report.ts'
import { post, startTestServer, type TestServer } from '../helpers/test-server.ts'

const run = promisify(execFile)
const TIME = { tz: 'Asia/Shanghai', dayStartMinutes: 0, intervalMinutes: 30 as const }

describe('a generated queue_log day, live and as a report', () => {
  let server: TestServer
  let lines: string[]
  let file: string

  beforeAll(async () => {
    // The last 40 minutes of today in Shanghai (fewer just after midnight), ending a
    // minute ago so that every call still waiting has passed T, whenever it is read.
    const now = Date.now()
    const start = Math.max(dayStartOf(now, TIME), now - 40 * 60_000)
    const simulator = createSimulator({ seed: 7, now: () => start })
    lines = simulator.step(now - 60_000)

    file = join(await mkdtemp(join(tmpdir(), 'callboard-')), 'queue_log')
    await writeFile(file, `${lines.join('\n')}\n`)
    server = await startTestServer({ CALLBOARD_TZ: TIME.tz })
  })
  afterAll(() => server.cleanup())

  it('gives the live snapshot and the report command the same figures for today', async () => {
    const answer = await post(`${server.url}/api/v1/events/asterisk`, lines.join('\n'))
    expect(answer.body).toMatchObject({ accepted: parseQueueLog(lines.join('\n')).length })

    const live = (await (
      await fetch(`${server.url}/api/v1/snapshot?window=today`)
    ).json()) as Snapshot
    const { stdout } = await run('node', [
      'bin/callboard.js',
      'report',
      file,
      '--format',
      'asterisk',
      '--tz',
      TIME.tz,
      '--json',
    ])
    const report = JSON.parse(stdout) as Report
    const today = report.days.find(
      (day) => day.date === dayLabel(dayStartOf(Date.now(), TIME), TIME),
    )

    const historical = (figures: object) => ({ ...figures, waiting: null, longestWait: null })
    expect(historical(live.total)).toEqual(today?.total)
    for (const [queue, figures] of Object.entries(live.queues)) {
      expect(historical(figures), queue).toEqual(today?.queues[queue])
    }
  })

  it('counts what the lines say: every entered call offered, fast answers met', async () => {
    // Counted straight from the text: all calls entered over a minute ago, so each has
    // had its SL event; a CONNECT with holdtime ≤ 20 s is a met one.
    const fields = lines.map((line) => line.split('|'))
    const entered = fields.filter((f) => f[4] === 'ENTERQUEUE').length
    const met = fields.filter((f) => f[4] === 'CONNECT' && Number(f[5]) <= 20).length
    const events = parseQueueLog(lines.join('\n'))

    expect(entered).toBeGreaterThan(20)
    expect(events.filter((e) => e.type === 'call.enter')).toHaveLength(entered)

    const live = (await (
      await fetch(`${server.url}/api/v1/snapshot?window=today`)
    ).json()) as Snapshot
    expect(live.total.offered).toBe(entered)
    expect(live.total.answeredWithinThreshold).toBe(met)
  })
})

import { describe, expect, it } from 'vitest'
import type { IntervalsToday } from '../../../shared/intervals.ts'
import type { StoredSettings } from '../../../shared/settings.ts'
import { caller } from '../../helpers/api.ts'
import { serversPerTest } from '../../helpers/test-server.ts'

// A file of yesterday posted today, after Sales's T went from 20 to 30 s: the history
// counts yesterday's quarter again from the stream (the live engine rebuilt only from the
// start of today), and must count it by the settings of yesterday, not of now. The real
// clock, since a change of settings is stamped by it; yesterday's calls are at 10:00 UTC.

const startServer = serversPerTest()

const DAY_MS = 86_400_000
const yesterday = new Date(Math.floor(Date.now() / DAY_MS) * DAY_MS - DAY_MS)
const DATE = yesterday.toISOString().slice(0, 10)
const at = (hms: string) => Date.parse(`${DATE}T${hms}Z`) / 1000

describe('a past quarter counted again from the stream', () => {
  it('is counted by the T in force at its calls, not by today’s', async () => {
    const server = await startServer({ CALLBOARD_TZ: 'UTC', CALLBOARD_THRESHOLD: '20' })
    const api = caller(server.url)

    // Today Sales's T goes 20 → 30 (no row of its own until now: the default, 20).
    const { body: settings } = await api<StoredSettings>('GET', '/api/v1/settings')
    expect(settings.defaults.thresholdSeconds).toBe(20)
    const sales = { ...settings.defaults, thresholdSeconds: 30 }
    const put = await api('PUT', '/api/v1/settings', { ...settings, queues: { Sales: sales } })
    expect(put.status).toBe(200)

    // Then yesterday's file: y1 answered after 5 s, y2 after 25 s.
    const file = [
      `${at('10:00:00')}|y1|Sales|NONE|ENTERQUEUE||1|1`,
      `${at('10:00:05')}|y1|Sales|PJSIP/1001|CONNECT|5|y1.b|1`,
      `${at('10:01:00')}|y2|Sales|NONE|ENTERQUEUE||2|1`,
      `${at('10:01:25')}|y2|Sales|PJSIP/1002|CONNECT|25|y2.b|1`,
    ].join('\n')
    expect((await api('POST', '/api/v1/events/asterisk', file)).status).toBe(200)

    const read = async () => {
      const answer = await api<IntervalsToday>('GET', `/api/v1/intervals?date=${DATE}`)
      return answer.status === 200 ? answer.body.day.queues.Sales : undefined
    }
    await expect.poll(async () => (await read())?.offered, { timeout: 8000 }).toBe(2)

    // By hand, under yesterday's T = 20: y1 5 ≤ 20 met, y2 25 > 20 missed: 1 of 2 (today's
    // T = 30 would make it 2 of 2).
    expect(await read()).toMatchObject({
      offered: 2,
      answered: 2,
      answeredWithinThreshold: 1,
      serviceLevel: 0.5,
    })
  }, 20_000)
})

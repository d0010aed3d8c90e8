import { describe, expect, it } from 'vitest'
import type { IntervalsToday } from '../../../shared/intervals.ts'
import type { StoredSettings } from '../../../shared/settings.ts'
import { caller } from '../../helpers/api.ts'
import { newPrefix, serversPerTest } from '../../helpers/test-server.ts'
import { clockAt } from '../../helpers/set-clock.ts'

// A past day read from the history is judged as the wall judges today: by each queue's own
// formula and target from the settings, not by the handbook's V2 for all.

const startServer = serversPerTest()

const at = (iso: string) => Date.parse(iso) / 1000

/**
 * Sales on 16 November from 10:05 UTC, T = 20 s: a answered in 5 s, b in 8 s, c abandoned
 * after 10 s, d answered in 40 s. Offered 4, answered within T 2, abandoned within T 1.
 */
function salesMorning(): string {
  return [
    `${at('2026-11-16T10:05:00Z')}|a|Sales|NONE|ENTERQUEUE||1|1`,
    `${at('2026-11-16T10:05:05Z')}|a|Sales|PJSIP/1001|CONNECT|5|a.b|1`,
    `${at('2026-11-16T10:06:00Z')}|b|Sales|NONE|ENTERQUEUE||2|1`,
    `${at('2026-11-16T10:06:08Z')}|b|Sales|PJSIP/1002|CONNECT|8|b.b|1`,
    `${at('2026-11-16T10:07:00Z')}|c|Sales|NONE|ENTERQUEUE||3|1`,
    `${at('2026-11-16T10:07:10Z')}|c|Sales|NONE|ABANDON|1|1|10`,
    `${at('2026-11-16T10:08:00Z')}|d|Sales|NONE|ENTERQUEUE||4|1`,
    `${at('2026-11-16T10:08:40Z')}|d|Sales|PJSIP/1001|CONNECT|40|d.b|1`,
  ].join('\n')
}

describe('a past day and the settings', () => {
  it("is judged by each queue's own formula and target", async () => {
    const prefix = newPrefix()
    const clock = clockAt('2026-11-16T12:00:00Z')
    let server = await startServer({}, prefix, { now: clock.now })
    let api = caller(server.url)

    expect((await api('POST', '/api/v1/events/asterisk', salesMorning())).status).toBe(200)
    const field = `${Date.parse('2026-11-16T10:00:00Z')}:Sales`
    await expect
      .poll(() => server.redis.hexists(server.keys.history('2026-11-16'), field), {
        timeout: 8000,
      })
      .toBe(1)
    await server.stop()

    clock.set('2026-11-18T09:00:00Z')
    server = await startServer({}, prefix, { now: clock.now })
    api = caller(server.url)
    const read = async () =>
      (await api<IntervalsToday>('GET', '/api/v1/intervals?date=2026-11-16')).body.day.queues.Sales

    // V2 by default: 2 within T of 4 offered.
    expect(await read()).toMatchObject({ serviceLevel: 0.5, target: 0.8, variant: 'V2' })

    // Cisco's type 3 at 70 %: the abandon within T counts as met, (2 + 1) / 4.
    const { body: settings } = await api<StoredSettings>('GET', '/api/v1/settings')
    const sales = { ...settings.defaults, variant: 'V3', targetPercent: 70 }
    const put = await api('PUT', '/api/v1/settings', { ...settings, queues: { Sales: sales } })
    expect(put.status).toBe(200)
    expect(await read()).toMatchObject({ serviceLevel: 0.75, target: 0.7, variant: 'V3' })
  })
})

import { parse } from 'csv-parse/sync'
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

  it('gives a past day’s CSV the formula, T, S and the ratio each row was judged by', async () => {
    const prefix = newPrefix()
    const clock = clockAt('2026-11-16T12:00:00Z')
    let server = await startServer({}, prefix, { now: clock.now })
    let api = caller(server.url)

    // S = 10 s on Sales before its calls: S counts, so it must be in force when they come.
    const { body: settings } = await api<StoredSettings>('GET', '/api/v1/settings')
    const v5 = { ...settings.defaults, variant: 'V5', shortAbandonSeconds: 10 }
    expect(
      (await api('PUT', '/api/v1/settings', { ...settings, queues: { Sales: v5 } })).status,
    ).toBe(200)
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
    const sales = async (interval: string) => {
      const { body } = await api<string>('GET', '/api/v1/report.csv?date=2026-11-16')
      const rows = parse(body, { columns: true, bom: true }) as Record<string, string>[]
      return rows.find((row) => row.interval === interval && row.queue === 'Sales')
    }

    // c abandoned after 10 s ≤ S: short. V5: 2 within T ÷ (4 offered − 1 short) = 66.67 %;
    // the abandon rate (1 − 1) ÷ (4 − 1) = 0 %.
    expect(await sales('10:00')).toMatchObject({
      offered: '4',
      answered_within_t: '2',
      abandoned: '1',
      service_level_pct: '66.67',
      abandon_rate_pct: '0',
      formula: 'V5',
      threshold_s: '20',
      short_abandon_s: '10',
      abandoned_short: '1',
      sl_numerator: '2',
      sl_denominator: '3',
    })

    // Cisco's type 3 judges the stored counters at once: (2 + 1 abandoned within T) ÷ 4.
    const v3 = { ...v5, variant: 'V3' }
    const current = (await api<StoredSettings>('GET', '/api/v1/settings')).body
    expect(
      (await api('PUT', '/api/v1/settings', { ...current, queues: { Sales: v3 } })).status,
    ).toBe(200)
    expect(await sales('day')).toMatchObject({
      answered_within_t: '2',
      service_level_pct: '75',
      formula: 'V3',
      short_abandon_s: '10',
      sl_numerator: '3',
      sl_denominator: '4',
    })
  })
})

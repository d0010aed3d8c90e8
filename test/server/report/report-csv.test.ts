import { parse } from 'csv-parse/sync'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { QueueSettings, StoredSettings } from '../../../shared/settings.ts'
import { caller, type Caller } from '../../helpers/api.ts'
import { newPrefix, post, startTestServer, type TestServer } from '../../helpers/test-server.ts'

// Today 00:01 UTC (the test server's zone), so every call is in a known interval of today.
const t0 = Math.floor(Date.now() / 86_400_000) * 86_400 + 60

const QUEUE_LOG = [
  // Sales, 00:01: answered after 10 s (met) and talked 100 s; answered after 30 s (missed);
  // abandoned after 5 s (offered, not met).
  `${t0}|c1|Sales|NONE|ENTERQUEUE||100|1`,
  `${t0 + 10}|c1|Sales|PJSIP/1001|CONNECT|10|b1|1`,
  `${t0 + 110}|c1|Sales|PJSIP/1001|COMPLETECALLER|10|100|1`,
  `${t0}|c2|Sales|NONE|ENTERQUEUE||101|2`,
  `${t0 + 30}|c2|Sales|PJSIP/1002|CONNECT|30|b2|1`,
  `${t0}|c3|Sales|NONE|ENTERQUEUE||102|3`,
  `${t0 + 5}|c3|Sales|NONE|ABANDON|3|3|5`,
  // Support, 00:31: answered after 15 s (met).
  `${t0 + 1800}|c4|Support|NONE|ENTERQUEUE||103|1`,
  `${t0 + 1815}|c4|Support|PJSIP/1003|CONNECT|15|b4|1`,
].join('\n')

describe('GET /api/v1/report.csv?date=today', () => {
  let server: TestServer

  beforeAll(async () => {
    server = await startTestServer()
    const answer = await post(`${server.url}/api/v1/events/asterisk`, QUEUE_LOG)
    expect(answer.status).toBe(200)
  })
  afterAll(() => server?.cleanup())

  it('gives every interval of today so far per queue and in total, then the day', async () => {
    await expect.poll(() => server.live.streamId, { timeout: 5000 }).not.toBe('0-0')
    const response = await fetch(`${server.url}/api/v1/report.csv?date=today`)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toContain('text/csv')

    // A byte-order mark first, for Excel; TextDecoder drops it.
    const bytes = new Uint8Array(await response.arrayBuffer())
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    const text = new TextDecoder().decode(bytes)
    const rows = parse(text, { columns: true }) as Record<string, string>[]
    const find = (interval: string, queue: string) =>
      rows.find((row) => row.interval === interval && row.queue === queue)

    // Sales 00:00: 1 of 3 offered within 20 s = 33.33 %; answered 2 of 3 = 66.67 %;
    // abandoned 1 of 3 = 33.33 %; ASA (10 + 30) / 2 = 20 s; AHT 100 s over 1 call.
    expect(find('00:00', 'Sales')).toMatchObject({
      offered: '3',
      answered: '2',
      answered_within_t: '1',
      abandoned: '1',
      handled: '1',
      service_level_pct: '33.33',
      answer_rate_pct: '66.67',
      abandon_rate_pct: '33.33',
      asa_s: '20',
      aht_s: '100',
      // Why 33.33: the environment's V2 (T = 20, S off), 1 met ÷ 3 offered; nothing short.
      formula: 'V2',
      threshold_s: '20',
      short_abandon_s: '0',
      abandoned_short: '0',
      sl_numerator: '1',
      sl_denominator: '3',
    })
    // Nothing offered: no value, never 0 %.
    expect(find('00:00', 'Support')).toMatchObject({ offered: '0', service_level_pct: '' })
    expect(find('00:30', 'Support')).toMatchObject({ offered: '1', service_level_pct: '100' })
    expect(find('00:30', 'All queues')).toMatchObject({ offered: '1', asa_s: '15' })

    // The day: 2 of 4 within 20 s = 50 %; 3 of 4 answered = 75 %; 1 of 4 abandoned = 25 %;
    // ASA (10 + 30 + 15) / 3 = 18.33 s, shown to the tenth.
    expect(find('day', 'All queues')).toMatchObject({
      offered: '4',
      answered: '3',
      service_level_pct: '50',
      answer_rate_pct: '75',
      abandon_rate_pct: '25',
      asa_s: '18.3',
    })
    expect(rows[0]?.date).toBe(new Date(t0 * 1000).toISOString().slice(0, 10))
  })

  it('keeps the first columns in their place and appends the ones that explain them', async () => {
    const text = await (await fetch(`${server.url}/api/v1/report.csv?date=today`)).text()
    const [header] = parse(text, { bom: true, to_line: 1 }) as string[][]
    expect(header).toEqual([
      'date',
      'interval',
      'queue',
      'offered',
      'answered',
      'answered_within_t',
      'abandoned',
      'exited',
      'handled',
      'service_level_pct',
      'answer_rate_pct',
      'abandon_rate_pct',
      'asa_s',
      'aht_s',
      'formula',
      'threshold_s',
      'short_abandon_s',
      'abandoned_short',
      'sl_numerator',
      'sl_denominator',
    ])
  })

  it('takes today by its date too, and refuses a date that is not one', async () => {
    const date = new Date(t0 * 1000).toISOString().slice(0, 10)
    const byDate = await fetch(`${server.url}/api/v1/report.csv?date=${date}`)
    expect(byDate.status).toBe(200)
    expect(byDate.headers.get('content-disposition')).toContain(`callboard-${date}.csv`)

    const response = await fetch(`${server.url}/api/v1/report.csv?date=01/01/2026`)
    expect(response.status).toBe(400)
    expect(((await response.json()) as { field: string }).field).toBe('date')
  })
})

// Issue 5: a row must say why its percentages are what they are. Support at 00:16 under V5
// with S = 5 s: offered 3, answered within T 1, abandoned 1 (after 3 s, short).
const SUPPORT = [
  `${t0 + 900}|s1|Support|NONE|ENTERQUEUE||200|1`,
  `${t0 + 910}|s1|Support|PJSIP/1003|CONNECT|10|sb1|1`,
  `${t0 + 900}|s2|Support|NONE|ENTERQUEUE||201|2`,
  `${t0 + 930}|s2|Support|PJSIP/1004|CONNECT|30|sb2|1`,
  `${t0 + 900}|s3|Support|NONE|ENTERQUEUE||202|3`,
  `${t0 + 903}|s3|Support|NONE|ABANDON|3|3|3`,
].join('\n')

describe('the CSV under a formula of the queue’s own', () => {
  let server: TestServer
  let api: Caller
  const support = async (row: Partial<QueueSettings>) => {
    const { body: settings } = await api<StoredSettings>('GET', '/api/v1/settings')
    const queues = { Support: { ...settings.defaults, ...row } }
    expect((await api('PUT', '/api/v1/settings', { ...settings, queues })).status).toBe(200)
  }
  const rowOf = async (interval: string) => {
    const text = await (await fetch(`${server.url}/api/v1/report.csv?date=today`)).text()
    const rows = parse(text, { columns: true, bom: true }) as Record<string, string>[]
    return rows.find((row) => row.interval === interval && row.queue === 'Support')
  }

  beforeAll(async () => {
    server = await startTestServer({}, newPrefix())
    api = caller(server.url)
    // S counts from the next event on, so it is set before the calls are posted.
    await support({ variant: 'V5', shortAbandonSeconds: 5 })
    expect((await post(`${server.url}/api/v1/events/asterisk`, SUPPORT)).status).toBe(200)
  })
  afterAll(() => server?.cleanup())

  it('names V5 and S, and the short abandon left out of both sides', async () => {
    // s3 waited 3 s ≤ S = 5 s: short. V5: 1 met ÷ (3 offered − 1 short) = 50 %; the
    // abandon rate (1 − 1) ÷ (3 − 1) = 0 %.
    await expect.poll(() => rowOf('00:00').then((row) => row?.offered)).toBe('3')
    expect(await rowOf('00:00')).toMatchObject({
      offered: '3',
      answered_within_t: '1',
      abandoned: '1',
      service_level_pct: '50',
      abandon_rate_pct: '0',
      formula: 'V5',
      threshold_s: '20',
      short_abandon_s: '5',
      abandoned_short: '1',
      sl_numerator: '1',
      sl_denominator: '2',
    })
  })

  it('names V3, whose numerator holds the abandon within T beside the answer', async () => {
    // The formula judges at once: V3 (1 answered + 1 abandoned within 20 s) ÷ 3 = 66.67 %,
    // though answered_within_t stays 1. S is still 5 s and s3 still short.
    await support({ variant: 'V3', shortAbandonSeconds: 5 })
    await expect.poll(() => rowOf('day').then((row) => row?.formula)).toBe('V3')
    const expected = {
      answered_within_t: '1',
      service_level_pct: '66.67',
      formula: 'V3',
      short_abandon_s: '5',
      abandoned_short: '1',
      sl_numerator: '2',
      sl_denominator: '3',
    }
    expect(await rowOf('00:00')).toMatchObject(expected)
    expect(await rowOf('day')).toMatchObject(expected)
  })
})

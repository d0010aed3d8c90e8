import { parse } from 'csv-parse/sync'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { post, startTestServer, type TestServer } from '../../helpers/test-server.ts'

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

import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { post, startTestServer, type TestServer } from '../../helpers/test-server.ts'

const fixture = (name: string) =>
  readFileSync(new URL(`../../fixtures/${name}`, import.meta.url), 'utf8')

describe('ingest over HTTP into real Redis', () => {
  let server: TestServer

  beforeAll(async () => {
    server = await startTestServer({ CALLBOARD_MAX_BODY_BYTES: '200000' })
  })
  afterAll(() => server.cleanup())

  it('stores every queue_log line in the stream before answering, drops a re-send', async () => {
    const text = fixture('shanghai-midnight.queue_log')
    const lines = text.trim().split('\n').length
    const url = `${server.url}/api/v1/events/asterisk`

    const first = await post(url, text)
    expect(first).toMatchObject({ status: 200, body: { accepted: lines, duplicates: 0 } })
    expect(await server.redis.xlen(server.keys.events)).toBe(lines)

    const again = await post(url, text)
    expect(again).toMatchObject({ status: 200, body: { accepted: 0, duplicates: lines } })
    expect(await server.redis.xlen(server.keys.events)).toBe(lines)
  })

  it('refuses a body with one bad line, naming it, and stores none of it', async () => {
    const before = await server.redis.xlen(server.keys.events)
    const body = [
      '1796060000|n1|Sales|NONE|ENTERQUEUE||13800000010|1',
      '1796060005|n1|Sales|PJSIP/1001|CONNECT|soon|b|1',
      '1796060010|n2|Sales|NONE|ENTERQUEUE||13800000011|1',
    ].join('\n')

    const answer = await post(`${server.url}/api/v1/events/asterisk`, body)
    expect(answer.status).toBe(400)
    expect(answer.body).toMatchObject({ line: 2, field: 'holdtime' })
    expect(String(answer.body.error)).toContain('line 2')
    expect(await server.redis.xlen(server.keys.events)).toBe(before)
  })

  it('answers 413 to a body over the limit and stores nothing', async () => {
    const before = await server.redis.xlen(server.keys.events)
    const line = '1796060000|big|Sales|NONE|ENTERQUEUE||13800000010|1\n'
    const answer = await post(`${server.url}/api/v1/events/asterisk`, line.repeat(5000))

    expect(answer.status).toBe(413)
    expect(await server.redis.xlen(server.keys.events)).toBe(before)
  })

  it('accepts canonical JSON as an array and as NDJSON, and names a wrong field', async () => {
    const events = [
      { type: 'call.enter', queue: 'Chat', callId: 'j1', ts: 1796060000000 },
      {
        type: 'call.answer',
        queue: 'Chat',
        callId: 'j1',
        ts: 1796060004000,
        agent: 'ann',
        waitMs: 4000,
      },
    ]
    const url = `${server.url}/api/v1/events`

    const array = await post(url, JSON.stringify(events), 'application/json')
    expect(array).toMatchObject({ status: 200, body: { accepted: 2, duplicates: 0 } })

    const ndjson = events.map((event) => JSON.stringify(event)).join('\n')
    const again = await post(url, ndjson, 'application/x-ndjson')
    expect(again).toMatchObject({ status: 200, body: { accepted: 0, duplicates: 2 } })

    const bad = await post(url, JSON.stringify([events[0], { ...events[1], waitMs: -1 }]))
    expect(bad.status).toBe(400)
    expect(bad.body).toEqual({
      error: 'event 2, field waitMs: expected at least 0, got -1',
      event: 2,
      field: 'waitMs',
    })
  })

  it('keeps unknown but well-formed events without breaking the figures', async () => {
    const body =
      '1796060100|NONE|NONE|Agent/1001|SOMETHINGNEW|a|b\n1796060101|NONE|NONE|NONE|QUEUESTART'
    const answer = await post(`${server.url}/api/v1/events/asterisk`, body)
    expect(answer).toMatchObject({ status: 200, body: { accepted: 2 } })

    const health = await fetch(`${server.url}/healthz`)
    expect(health.status).toBe(200)
  })

  it('refuses an empty body and bytes that are not UTF-8, naming the line', async () => {
    const url = `${server.url}/api/v1/events/asterisk`
    expect((await post(url, '  \n')).status).toBe(400)

    const bytes = Buffer.concat([
      Buffer.from('1796060000|u1|Sales|NONE|ENTERQUEUE||1|1\n1796060001|u2|Q'),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('|NONE|ENTERQUEUE||1|1\n'),
    ])
    const response = await fetch(url, { method: 'POST', body: bytes })
    expect(response.status).toBe(400)
    expect(await response.json()).toMatchObject({ line: 2 })
  })

  it('answers 404 in JSON for an unknown API path instead of the wall', async () => {
    const response = await fetch(`${server.url}/api/v1/nothing`)
    expect(response.status).toBe(404)
    expect(response.headers.get('content-type')).toContain('application/json')
  })

  it('names a wrong query parameter', async () => {
    const response = await fetch(`${server.url}/api/v1/snapshot?window=week`)
    expect(response.status).toBe(400)
    expect(await response.json()).toMatchObject({ field: 'window' })
  })
})

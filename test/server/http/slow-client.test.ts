import { connect } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestServer, type TestServer } from '../../helpers/test-server.ts'

// Issue 6: a client that sends its request slowly, or stops halfway, is cut off after
// CALLBOARD_REQUEST_TIMEOUT_SECONDS (headers: 10 s at most) and stores nothing; every
// answer carries the secure headers.

/** Sends `text` on a bare connection and resolves with what came back and when it closed. */
function sendAndWait(url: string, text: string): Promise<{ answer: string; ms: number }> {
  const { hostname, port } = new URL(url)
  const socket = connect(Number(port), hostname)
  const started = Date.now()
  let answer = ''

  return new Promise((resolve) => {
    socket.on('data', (chunk) => (answer += String(chunk)))
    socket.on('error', () => {})
    socket.once('close', () => resolve({ answer, ms: Date.now() - started }))
    socket.write(text)
  })
}

describe('slow clients and secure headers', () => {
  let server: TestServer

  beforeAll(async () => {
    server = await startTestServer({ CALLBOARD_REQUEST_TIMEOUT_SECONDS: '1' })
  })
  afterAll(() => server.cleanup())

  it('cuts off a request whose headers never end, and one whose body stops halfway', async () => {
    const host = new URL(server.url).host
    const line = `${Math.floor(Date.now() / 1000)}|slow|Sales|NONE|ENTERQUEUE||1|1\n`
    const [headers, body] = await Promise.all([
      sendAndWait(server.url, `GET /api/v1/snapshot HTTP/1.1\r\nHost: ${host}\r\n`),
      sendAndWait(
        server.url,
        `POST /api/v1/events/asterisk HTTP/1.1\r\nHost: ${host}\r\nContent-Length: 1000` +
          `\r\n\r\n${line}`,
      ),
    ])

    console.log(
      `slow clients (timeout 1 s): unfinished headers cut after ${headers.ms} ms, ` +
        `unfinished body after ${body.ms} ms (${body.answer.split('\r\n')[0]})`,
    )
    expect(headers.ms).toBeLessThan(3000)
    expect(body.ms).toBeLessThan(3000)
    expect(body.answer).toMatch(/^HTTP\/1\.1 408/)
    expect(await server.redis.xlen(server.keys.events)).toBe(0)
  })

  it('sends the wall and the API with a content security policy and no framing', async () => {
    for (const path of ['/', '/api/v1/snapshot']) {
      const response = await fetch(`${server.url}${path}`)
      await response.arrayBuffer()
      const csp = response.headers.get('content-security-policy') ?? ''

      expect(csp).toContain("default-src 'self'")
      expect(csp).toContain("script-src 'self'")
      expect(csp).toContain("frame-ancestors 'none'")
      expect(response.headers.get('x-frame-options')).toBe('DENY')
      expect(response.headers.get('x-content-type-options')).toBe('nosniff')
      // The TV's address carries its token once: it must not leak to another site.
      expect(response.headers.get('referrer-policy')).toBe('no-referrer')
    }
  })
})

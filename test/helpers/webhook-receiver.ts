/**
 * A real HTTP server on a free local port that keeps every webhook posted to it, and can
 * be told to fail the next few, for tests of delivery, retries and duplicates.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface Received {
  path: string
  body: Record<string, unknown>
  /** Epoch ms it arrived. */
  at: number
}

export class WebhookReceiver {
  readonly received: Received[] = []
  /** Everything posted, including those answered with a failure. */
  readonly attempts: Received[] = []
  readonly #server: Server
  #failures: { count: number; status: number; body: string } = { count: 0, status: 200, body: '' }

  private constructor(server: Server) {
    this.#server = server
  }

  static async start(): Promise<WebhookReceiver> {
    const server = createServer()
    const receiver = new WebhookReceiver(server)
    server.on('request', (request: IncomingMessage, response: ServerResponse) => {
      const chunks: Buffer[] = []
      request.on('data', (chunk: Buffer) => chunks.push(chunk))
      request.on('end', () => receiver.#take(request.url ?? '/', chunks, response))
    })

    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    return receiver
  }

  url(path = '/hook'): string {
    const { port } = this.#server.address() as AddressInfo
    return `http://127.0.0.1:${port}${path}`
  }

  /** Answers the next `count` posts with `status` (and `body`) instead of 200. */
  failNext(count: number, status = 503, body = '{"error":"busy"}'): void {
    this.#failures = { count, status, body }
  }

  /** Bodies received at `path`, in order. */
  bodies(path = '/hook'): Record<string, unknown>[] {
    return this.received.filter((r) => r.path === path).map((r) => r.body)
  }

  /** Waits until `count` posts have been received (answered 200). */
  async waitFor(count: number, timeoutMs = 10_000): Promise<Received[]> {
    const deadline = Date.now() + timeoutMs
    while (this.received.length < count) {
      if (Date.now() > deadline) {
        const seen = this.received.map((r) => JSON.stringify(r.body).slice(0, 200)).join('\n')
        throw new Error(`${this.received.length} of ${count} webhooks in ${timeoutMs} ms:\n${seen}`)
      }
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    return this.received
  }

  close(): Promise<void> {
    this.#server.closeAllConnections()
    return new Promise((resolve) => this.#server.close(() => resolve()))
  }

  #take(path: string, chunks: Buffer[], response: ServerResponse) {
    const text = Buffer.concat(chunks).toString('utf8')
    let body: Record<string, unknown>
    try {
      body = JSON.parse(text) as Record<string, unknown>
    } catch {
      body = { unparsed: text }
    }
    const entry = { path, body, at: Date.now() }
    this.attempts.push(entry)

    if (this.#failures.count > 0) {
      this.#failures.count -= 1
      response.writeHead(this.#failures.status, { 'content-type': 'application/json' })
      response.end(this.#failures.body)
      return
    }
    this.received.push(entry)
    response.writeHead(200, { 'content-type': 'application/json' })
    response.end('{"errcode":0,"ok":true}')
  }
}

/**
 * A WebSocket client for tests that keeps every message and waits for one that matches.
 */
import WebSocket from 'ws'
import type { ServerMessage } from '../../shared/protocol.ts'

export class TestSocket {
  readonly messages: ServerMessage[] = []
  readonly #socket: WebSocket
  #waiters: (() => void)[] = []

  private constructor(socket: WebSocket) {
    this.#socket = socket
    // Listen before 'open': the first message may arrive in the same packet as the upgrade.
    socket.on('message', (data) => {
      this.messages.push(JSON.parse(String(data)) as ServerMessage)
      for (const wake of this.#waiters) wake()
    })
  }

  /** `options`: headers such as a browser's Origin, or Authorization. */
  static async open(url: string, options?: WebSocket.ClientOptions): Promise<TestSocket> {
    const client = new TestSocket(new WebSocket(url, options))
    await new Promise((resolve, reject) => {
      client.#socket.once('open', resolve)
      client.#socket.once('error', reject)
    })
    return client
  }

  /** Resolves with the first message (already received or coming) that satisfies `test`. */
  async next(test: (message: ServerMessage) => boolean, timeoutMs = 5000): Promise<ServerMessage> {
    const deadline = Date.now() + timeoutMs

    for (;;) {
      const found = this.messages.find(test)
      if (found !== undefined) return found
      if (Date.now() > deadline) {
        const seen = this.messages.map((m) => JSON.stringify(m).slice(0, 300)).join('\n')
        throw new Error(`no matching message in ${timeoutMs} ms; got:\n${seen}`)
      }
      await new Promise<void>((resolve) => {
        this.#waiters.push(resolve)
        setTimeout(resolve, 100)
      })
      this.#waiters = []
    }
  }

  /** Calls `listener` with the close code when the server (or we) close the socket. */
  onClose(listener: (code: number) => void): void {
    this.#socket.once('close', listener)
  }

  close(): void {
    this.#socket.close()
  }
}

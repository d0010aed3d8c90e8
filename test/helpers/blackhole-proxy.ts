/**
 * A TCP proxy in front of Redis that can swallow its open connections: what a connection
 * whose far end vanished without a reset looks like (a failover that moved the address, a
 * firewall or NAT that forgot the flow). Nothing is refused and nothing is answered on the
 * old connections, while new ones are forwarded as usual.
 */
import { connect, createServer, type Server, type Socket } from 'node:net'

export class BlackholeProxy {
  readonly #server: Server
  readonly #pairs = new Set<[Socket, Socket]>()
  readonly #swallowed = new Set<[Socket, Socket]>()
  #connections = 0

  private constructor(server: Server) {
    this.#server = server
  }

  /** Listens on a free loopback port and forwards to `upstream` (host:port). */
  static async start(upstream: { host: string; port: number }): Promise<BlackholeProxy> {
    const server = createServer()
    const proxy = new BlackholeProxy(server)
    server.on('connection', (client) => proxy.#forward(client, upstream))
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    return proxy
  }

  get url(): string {
    const address = this.#server.address()
    if (address === null || typeof address === 'string') throw new Error('proxy not listening')
    return `redis://127.0.0.1:${address.port}`
  }

  /** Connections made through the proxy so far. */
  get connections(): number {
    return this.#connections
  }

  /** From now on the open connections carry nothing either way, and stay open. */
  swallowOpenConnections(): number {
    for (const [client, server] of this.#pairs) {
      client.unpipe(server)
      server.unpipe(client)
      client.pause()
      server.pause()
      this.#swallowed.add([client, server])
    }
    const swallowed = this.#pairs.size
    this.#pairs.clear()
    return swallowed
  }

  async stop(): Promise<void> {
    for (const [client, server] of [...this.#pairs, ...this.#swallowed]) {
      client.destroy()
      server.destroy()
    }
    await new Promise<void>((resolve) => this.#server.close(() => resolve()))
  }

  #forward(client: Socket, upstream: { host: string; port: number }): void {
    this.#connections += 1
    const server = connect(upstream.port, upstream.host)
    const pair: [Socket, Socket] = [client, server]
    this.#pairs.add(pair)

    client.pipe(server)
    server.pipe(client)
    const drop = () => {
      this.#pairs.delete(pair)
      client.destroy()
      server.destroy()
    }
    client.on('error', drop)
    server.on('error', drop)
    client.on('close', drop)
    server.on('close', drop)
  }
}

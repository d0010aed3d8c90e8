/**
 * Many WebSocket clients of one server, as the bench's load process holds them. Each
 * client keeps only when each message arrived and which stream id it carried: reading the
 * id from the raw bytes instead of parsing the JSON keeps the load process's own cost out
 * of the latencies it measures.
 */
import WebSocket from 'ws'

const STREAM_ID_KEY = Buffer.from('"streamId":"')
const DIGIT_0 = 0x30
const DASH = 0x2d
const QUOTE = 0x22

export class LoadClient {
  // Arrival times and stream ids (as ms and sequence) in plain number arrays: a thousand
  // clients keep half a million of them, and objects would bring the collector in.
  readonly #at: number[] = []
  readonly #idMs: number[] = []
  readonly #idSeq: number[] = []
  readonly #socket: WebSocket
  #keep: boolean

  constructor(url: string, keep: boolean) {
    this.#keep = keep
    this.#socket = new WebSocket(url, { perMessageDeflate: false, skipUTF8Validation: true })
    this.#socket.on('message', (data: Buffer) => this.#receive(data))
    this.#socket.on('error', () => {})
  }

  get received(): number {
    return this.#at.length
  }

  /** Keep every arrival from now on (for latency), or only the last (idle clients). */
  keepAll(keep: boolean): void {
    this.#keep = keep
  }

  /** When the first message carrying `streamId` or a later one arrived; null if none did. */
  arrivalOf(streamId: string): number | null {
    const [ms = 0, seq = 0] = streamId.split('-').map(Number)
    let low = 0
    let high = this.#at.length

    while (low < high) {
      const middle = (low + high) >> 1
      const idMs = this.#idMs[middle] as number
      if (idMs > ms || (idMs === ms && (this.#idSeq[middle] as number) >= seq)) high = middle
      else low = middle + 1
    }
    return this.#at[low] ?? null
  }

  close(): void {
    this.#socket.terminate()
  }

  #receive(data: Buffer): void {
    const at = performance.now()
    const start = data.indexOf(STREAM_ID_KEY)
    if (start < 0) return

    let index = start + STREAM_ID_KEY.length
    let ms = 0
    let seq = 0
    for (; data[index] !== DASH && data[index] !== QUOTE; index++) {
      ms = ms * 10 + (data[index] as number) - DIGIT_0
    }
    for (index++; data[index] !== QUOTE && index < data.length; index++) {
      seq = seq * 10 + (data[index] as number) - DIGIT_0
    }

    if (!this.#keep) {
      this.#at.length = 0
      this.#idMs.length = 0
      this.#idSeq.length = 0
    }
    this.#at.push(at)
    this.#idMs.push(ms)
    this.#idSeq.push(seq)
  }
}

/** Opens `count` clients, `parallel` handshakes at a time; resolves when all have a snapshot. */
export async function openClients(
  url: string,
  count: number,
  options: { parallel?: number; keep?: boolean } = {},
): Promise<LoadClient[]> {
  const clients: LoadClient[] = []
  const parallel = options.parallel ?? 100

  for (let i = 0; i < count; i += parallel) {
    const batch = Array.from(
      { length: Math.min(parallel, count - i) },
      () => new LoadClient(url, options.keep ?? false),
    )
    clients.push(...batch)
    await waitUntil(() => batch.every((client) => client.received > 0), 30_000)
  }
  return clients
}

export async function waitUntil(test: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!test()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

/**
 * Pushes live figures to WebSocket clients. Clients watching the same window and queues
 * form a group that shares one computed snapshot, serialised and encoded once. Pushes are
 * coalesced: the first change after a quiet spell goes out at once, later ones at most
 * every `pushIntervalMs`, or less often when pushing to many clients takes long; a clock
 * tick each second carries the figures that move with time alone.
 */
import type { AgentServerMessage } from '../../shared/agent-protocol.ts'
import type { ServerMessage } from '../../shared/protocol.ts'
import type { WindowName } from '../../shared/windows.ts'
import type { AgentFilter } from '../agents/agent-snapshot.ts'
import type { Logger } from '../logger.ts'
import type { LiveFigures } from './live-figures.ts'

export interface HubClient {
  /** Sends one text message, given as its UTF-8 bytes (shared by the whole group). */
  send(data: Buffer): void
  /** Bytes queued on the socket and not yet written. */
  bufferedAmount(): number
}

export interface Subscription {
  window: WindowName
  /** Queues shown, in order; all when omitted. */
  queues?: readonly string[]
  /** The agent board with these filters (`agents` messages) instead of the queue wall. */
  agents?: AgentFilter
}

interface Group extends Subscription {
  clients: Set<HubClient>
  /** The last figures sent, without the times, to tell a real change from a tick. */
  lastContent: string
}

/** A client further behind than this skips updates; each update is whole, so none is lost. */
const MAX_BUFFERED_BYTES = 1024 * 1024
const CLOCK_TICK_MS = 1000
/**
 * Pushes may keep the process busy at most this share of the time: with many clients a
 * push takes milliseconds, and ingest and the stream reader need the event loop too.
 */
const MAX_PUSH_SHARE = 0.3

export class Hub {
  readonly #live: LiveFigures
  readonly #logger: Logger
  readonly #pushIntervalMs: number
  readonly #groups = new Map<string, Group>()
  #lastPush = 0
  /** How long the last push to every group took, in ms. */
  #lastPushCost = 0
  #pending: NodeJS.Timeout | undefined
  #clock: NodeJS.Timeout | undefined
  #unsubscribe: () => void = () => {}
  #clients = 0

  constructor(live: LiveFigures, options: { pushIntervalMs: number; logger: Logger }) {
    this.#live = live
    this.#logger = options.logger
    this.#pushIntervalMs = options.pushIntervalMs
  }

  get clientCount(): number {
    return this.#clients
  }

  start(): void {
    this.#unsubscribe = this.#live.onChange(() => this.#schedule())
    this.#clock = setInterval(() => this.#pushAll(), CLOCK_TICK_MS)
  }

  stop(): void {
    this.#unsubscribe()
    clearInterval(this.#clock)
    clearTimeout(this.#pending)
  }

  /** Registers a client and sends it the full snapshot; returns the function that removes it. */
  add(client: HubClient, subscription: Subscription): () => void {
    const key = groupKey(subscription)
    let group = this.#groups.get(key)

    if (group === undefined) {
      group = { ...subscription, clients: new Set(), lastContent: '' }
      this.#groups.set(key, group)
    }
    group.clients.add(client)
    this.#clients += 1
    this.#logger.info({ event: 'ws_client_added', component: 'ws', clients: this.#clients })

    const first = this.#render(subscription, 'snapshot', '')
    if (first !== null) client.send(Buffer.from(first.body))

    const owner = group
    return () => {
      if (!owner.clients.delete(client)) return
      this.#clients -= 1
      if (owner.clients.size === 0) this.#groups.delete(key)
      this.#logger.info({ event: 'ws_client_removed', component: 'ws', clients: this.#clients })
    }
  }

  #schedule(): void {
    if (this.#pending !== undefined) return

    const interval = Math.max(this.#pushIntervalMs, this.#lastPushCost / MAX_PUSH_SHARE)
    const wait = Math.max(0, this.#lastPush + interval - Date.now())
    this.#pending = setTimeout(() => {
      this.#pending = undefined
      this.#pushAll()
    }, wait)
  }

  #pushAll(): void {
    const started = performance.now()
    this.#lastPush = Date.now()
    for (const group of this.#groups.values()) this.#push(group)
    this.#lastPushCost = performance.now() - started
  }

  #push(group: Group): void {
    const rendered = this.#render(group, 'update', group.lastContent)
    if (rendered === null) return
    const { content } = rendered
    // Encoded once here rather than by every socket: a thousand clients, one copy.
    const body = Buffer.from(rendered.body)

    group.lastContent = content
    for (const client of group.clients) {
      if (client.bufferedAmount() > MAX_BUFFERED_BYTES) continue
      client.send(body)
    }
  }

  /** The figures a subscription shows, or a heartbeat when they equal `lastContent`. */
  #render(subscription: Subscription, kind: 'snapshot' | 'update', lastContent: string) {
    const { window, queues, agents } = subscription
    const board = agents === undefined ? null : this.#live.agentSnapshot(window, agents)
    const snapshot =
      agents === undefined
        ? { type: kind, ...this.#live.snapshot(window, queues) }
        : board && { type: 'agents' as const, ...board }
    if (snapshot === null) return null

    const content = JSON.stringify({ ...snapshot, type: '', asOf: 0, windowStart: 0 })
    const message: ServerMessage | AgentServerMessage =
      content === lastContent
        ? { type: 'heartbeat', asOf: snapshot.asOf, streamId: snapshot.streamId }
        : snapshot
    return { body: JSON.stringify(message), content }
  }
}

function groupKey(subscription: Subscription): string {
  const agents = subscription.agents
  const filter = agents === undefined ? '' : JSON.stringify([agents.teams, agents.queues])
  return `${subscription.window}|${subscription.queues?.join('\u0000') ?? '*'}|${filter}`
}

/**
 * Pushes live figures to WebSocket clients. Clients watching the same window and queues
 * form a group that shares one computed snapshot, serialised and encoded once. Pushes are
 * coalesced: the first change after a quiet spell goes out at once, later ones at most
 * every `pushIntervalMs`, or less often when pushing to many clients takes long; a clock
 * tick each second carries the figures that move with time alone.
 *
 * A client that does not read its socket costs at most MAX_BUFFERED_BYTES and one message:
 * past that it misses updates, gets the latest whole one when it drains, and is closed
 * when it stays behind for `stuckMs`. While this process cannot read the stream nothing is
 * sent, not even heartbeats, so walls show their figures as stale rather than as current.
 */
import type { AgentsMessage } from '../../shared/agent-protocol.ts'
import type { HeartbeatMessage, SnapshotMessage, UpdateMessage } from '../../shared/protocol.ts'
import type { WindowName } from '../../shared/windows.ts'
import type { AgentFilter } from '../agents/agent-snapshot.ts'
import type { Logger } from '../logger.ts'
import type { LiveFigures } from './live-figures.ts'

export interface HubClient {
  /** Sends one text message, given as its UTF-8 bytes (shared by the whole group). */
  send(data: Buffer): void
  /** Bytes queued on the socket and not yet written. */
  bufferedAmount(): number
  /** Drops the connection at once, unsent data and all. */
  close(): void
}

export interface HubOptions {
  pushIntervalMs: number
  logger: Logger
  /** How long a client may stay too far behind before it is closed. @default 30000 */
  stuckMs?: number
}

interface Member {
  client: HubClient
  /** Missed an update: the next message it gets is a whole one, never a heartbeat. */
  behind: boolean
  /** Epoch ms since which its socket has held more than MAX_BUFFERED_BYTES. */
  stuckSince: number | null
}

export interface Subscription {
  window: WindowName
  /** Queues shown, in order; all when omitted. */
  queues?: readonly string[]
  /** The agent board with these filters (`agents` messages) instead of the queue wall. */
  agents?: AgentFilter
}

interface Group extends Subscription {
  members: Set<Member>
  /** The last figures sent, without the times, to tell a real change from a tick. */
  lastContent: string
}

/** A client further behind than this skips updates; each update is whole, so none is lost. */
const MAX_BUFFERED_BYTES = 1024 * 1024
const CLOCK_TICK_MS = 1000
/**
 * Pushes may keep the process busy at most this share of the time: with many clients a
 * push takes milliseconds (7 for 1,000 on the bench machine), and ingest and the stream
 * reader need the event loop too. Half keeps 1,000 clients at the 25 ms default.
 */
const MAX_PUSH_SHARE = 0.5

export class Hub {
  readonly #live: LiveFigures
  readonly #logger: Logger
  readonly #pushIntervalMs: number
  readonly #stuckMs: number
  readonly #groups = new Map<string, Group>()
  #lastPush = 0
  /** How long the last push to every group took, in ms. */
  #lastPushCost = 0
  #pending: NodeJS.Timeout | undefined
  #clock: NodeJS.Timeout | undefined
  #unsubscribe: () => void = () => {}
  #clients = 0

  constructor(live: LiveFigures, options: HubOptions) {
    this.#live = live
    this.#logger = options.logger
    this.#pushIntervalMs = options.pushIntervalMs
    this.#stuckMs = options.stuckMs ?? 30_000
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
      group = { ...subscription, members: new Set(), lastContent: '' }
      this.#groups.set(key, group)
    }
    // Behind from the start while the stream cannot be read: its first snapshot waits.
    const member: Member = { client, behind: !this.#live.connected, stuckSince: null }
    group.members.add(member)
    this.#clients += 1
    this.#logger.info({ event: 'ws_client_added', component: 'ws', clients: this.#clients })

    const first = member.behind ? null : this.#render(subscription, 'snapshot')
    if (first !== null) client.send(Buffer.from(JSON.stringify(first.message)))

    const owner = group
    return () => {
      if (!owner.members.delete(member)) return
      this.#clients -= 1
      if (owner.members.size === 0) this.#groups.delete(key)
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
    // Silence, not old figures dressed as fresh: the walls turn stale by themselves.
    if (!this.#live.connected) return

    const started = performance.now()
    this.#lastPush = Date.now()
    for (const group of this.#groups.values()) this.#push(group)
    this.#lastPushCost = performance.now() - started
  }

  #push(group: Group): void {
    const rendered = this.#render(group, 'update')
    if (rendered === null) return
    const { message, content } = rendered
    const changed = content !== group.lastContent
    // Encoded once here rather than by every socket: a thousand clients, one copy.
    let whole: Buffer | undefined
    const wholeBody = () => (whole ??= Buffer.from(JSON.stringify(message)))
    const heartbeat: HeartbeatMessage = {
      type: 'heartbeat',
      asOf: message.asOf,
      streamId: message.streamId,
    }
    const body = changed ? wholeBody() : Buffer.from(JSON.stringify(heartbeat))

    group.lastContent = content
    const now = Date.now()
    for (const member of group.members) {
      if (this.#holdBack(member, group, now)) continue
      member.client.send(member.behind ? wholeBody() : body)
      member.behind = false
    }
  }

  /** Whether a client is too far behind to be sent anything; closes one stuck too long. */
  #holdBack(member: Member, group: Group, now: number): boolean {
    if (member.client.bufferedAmount() <= MAX_BUFFERED_BYTES) {
      member.stuckSince = null
      return false
    }

    member.behind = true
    member.stuckSince ??= now
    if (now - member.stuckSince >= this.#stuckMs) {
      const buffered = member.client.bufferedAmount()
      this.#logger.warn({
        event: 'ws_client_stuck',
        component: 'ws',
        buffered,
        window: group.window,
      })
      member.client.close()
    }
    return true
  }

  /** The figures a subscription shows, and the same without the times, to spot a change. */
  #render(subscription: Subscription, kind: 'snapshot' | 'update') {
    const { window, queues, agents } = subscription
    const board = agents === undefined ? null : this.#live.agentSnapshot(window, agents)
    const message: SnapshotMessage | UpdateMessage | AgentsMessage | null =
      agents === undefined
        ? { type: kind, ...this.#live.snapshot(window, queues) }
        : board && { type: 'agents' as const, ...board }
    if (message === null) return null

    const content = JSON.stringify({ ...message, type: '', asOf: 0, windowStart: 0 })
    return { message, content }
  }
}

function groupKey(subscription: Subscription): string {
  const agents = subscription.agents
  const filter = agents === undefined ? '' : JSON.stringify([agents.teams, agents.queues])
  return `${subscription.window}|${subscription.queues?.join('\u0000') ?? '*'}|${filter}`
}

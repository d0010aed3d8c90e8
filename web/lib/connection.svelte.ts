/**
 * The wall's link to the server: one WebSocket that reconnects by itself, the latest
 * snapshot it brought, and whether that snapshot can still be trusted.
 */
import type { Incident } from '../../shared/alerts.ts'
import {
  STALE_AFTER_MS,
  type AlertsMessage,
  type HeartbeatMessage,
  type SnapshotMessage,
  type UpdateMessage,
} from '../../shared/protocol.ts'
import { BACKOFF_DEFAULTS, backoffDelay, type BackoffOptions } from './backoff.ts'
import { parseServerMessage } from './messages.ts'

/**
 * connecting: first attempt, nothing heard yet. live: messages are arriving.
 * reconnecting: the link is down but the figures are still recent. stale: nothing heard
 * for staleAfterMs, whatever the socket is doing; the figures may be wrong.
 */
export type ConnectionState = 'connecting' | 'live' | 'reconnecting' | 'stale'

/** What a page keeps from the socket: the queue wall's snapshots, or the agent board's. */
type Message = { type: string; asOf: number }

export interface ConnectionOptions<M extends Message = SnapshotMessage | UpdateMessage> {
  backoff: BackoffOptions
  /** Silence after which the data counts as stale and the socket is replaced. */
  staleAfterMs: number
  /** Reads a frame: a message to keep, a heartbeat, or null for a frame that is not ours. */
  parse: (data: unknown) => M | HeartbeatMessage | AlertsMessage | null
}

export const CONNECTION_DEFAULTS: ConnectionOptions = {
  backoff: BACKOFF_DEFAULTS,
  staleAfterMs: STALE_AFTER_MS,
  parse: parseServerMessage,
}

type Timer = ReturnType<typeof setTimeout> | undefined

export class Connection<M extends Message = SnapshotMessage | UpdateMessage> {
  #state = $state<ConnectionState>('connecting')
  #snapshot = $state.raw<M | null>(null)
  #snapshotReceivedAt = $state(0)
  #incidents = $state.raw<Incident[]>([])
  #lastMessageAt = $state<number | null>(null)
  #startedAt = $state(0)
  #attempt = $state(0)

  readonly #url: string
  readonly #options: ConnectionOptions<M>
  #socket: WebSocket | null = null
  #running = false
  #retryTimer: Timer
  #silenceTimer: Timer
  #staleTimer: Timer

  constructor(url: string, options: Partial<ConnectionOptions<M>> = {}) {
    this.#url = url
    // The default parser reads the queue wall's messages; another page passes its own.
    this.#options = { ...CONNECTION_DEFAULTS, ...options } as ConnectionOptions<M>
  }

  get state(): ConnectionState {
    return this.#state
  }

  /** The latest snapshot or update; null until the first one arrives. */
  get snapshot(): M | null {
    return this.#snapshot
  }

  /** The open incidents, for a socket that asked for them (`alerts=1`); none until then. */
  get incidents(): Incident[] {
    return this.#incidents
  }

  /** Epoch ms (this browser's clock) the current snapshot arrived at. */
  get snapshotReceivedAt(): number {
    return this.#snapshotReceivedAt
  }

  /** Epoch ms (this browser's clock) of the last message of any kind, or null. */
  get lastMessageAt(): number | null {
    return this.#lastMessageAt
  }

  /** Epoch ms since which nothing has been heard: the last message, or the start. */
  get quietSince(): number {
    return this.#lastMessageAt ?? this.#startedAt
  }

  /** Silence after which the figures count as stale. */
  get staleAfterMs(): number {
    return this.#options.staleAfterMs
  }

  /** Failed attempts since the server last spoke. */
  get attempt(): number {
    return this.#attempt
  }

  start(): void {
    if (this.#running) return

    this.#running = true
    this.#startedAt = Date.now()
    this.#state = 'connecting'
    this.#armStaleTimer()
    this.#open()
  }

  stop(): void {
    this.#running = false
    clearTimeout(this.#retryTimer)
    clearTimeout(this.#silenceTimer)
    clearTimeout(this.#staleTimer)
    this.#drop()
  }

  #open(): void {
    let socket: WebSocket
    try {
      socket = new WebSocket(this.#url)
    } catch (error) {
      console.error(`callboard: cannot open ${this.#url}`, error)
      this.#lost()
      return
    }

    // Events of a socket that has since been replaced are ignored, so a late close
    // cannot tear down its successor.
    this.#socket = socket
    socket.onmessage = (event) => {
      if (this.#socket === socket) this.#receive(event.data)
    }
    socket.onclose = () => {
      if (this.#socket === socket) this.#lost()
    }

    // Armed before the socket opens, so a connect that hangs is abandoned too.
    this.#armSilenceTimer()
  }

  #receive(data: unknown): void {
    const message = this.#options.parse(data)
    if (message === null) {
      console.warn('callboard: ignored a WebSocket frame that is not a server message')
      return
    }

    // Incidents come from the server's memory even while it cannot read Redis, so they say
    // nothing of whether the figures are current: only figures and heartbeats make it live.
    if (isAlerts(message)) {
      this.#incidents = message.incidents
      return
    }

    const now = Date.now()
    if (!isHeartbeat(message)) {
      this.#snapshot = message
      this.#snapshotReceivedAt = now
    }

    this.#lastMessageAt = now
    this.#state = 'live'
    // Backoff restarts only once the server has spoken: one that accepts and then drops
    // every connection would otherwise be retried in a tight loop.
    this.#attempt = 0
    this.#armSilenceTimer()
    this.#armStaleTimer()
  }

  /** The socket is gone (closed, refused or abandoned): try again after a backoff. */
  #lost(): void {
    this.#drop()
    if (this.#state !== 'stale') this.#state = 'reconnecting'
    if (!this.#running) return

    const delay = backoffDelay(this.#attempt, this.#options.backoff)
    this.#attempt += 1
    clearTimeout(this.#retryTimer)
    this.#retryTimer = setTimeout(() => this.#open(), delay)
  }

  #drop(): void {
    const socket = this.#socket
    this.#socket = null
    clearTimeout(this.#silenceTimer)
    socket?.close()
  }

  // A half-open TCP connection can look open for minutes after the server or the
  // network died; only the missing heartbeats tell, so silence closes the socket.
  #armSilenceTimer(): void {
    clearTimeout(this.#silenceTimer)
    this.#silenceTimer = setTimeout(() => this.#lost(), this.#options.staleAfterMs)
  }

  #armStaleTimer(): void {
    clearTimeout(this.#staleTimer)
    this.#staleTimer = setTimeout(() => {
      this.#state = 'stale'
    }, this.#options.staleAfterMs)
  }
}

function isHeartbeat(message: Message): message is HeartbeatMessage {
  return message.type === 'heartbeat'
}

function isAlerts(message: Message): message is AlertsMessage {
  return message.type === 'alerts'
}

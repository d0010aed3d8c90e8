/**
 * The wire protocol between the server and the wall: the snapshot shape served by
 * GET /api/v1/snapshot and every message sent over the WebSocket at /ws.
 */
import type { Incident } from './alerts.ts'
import type { Figures } from './figures.ts'
import type { WindowName } from './windows.ts'

/** All figures of one window at one instant. */
export interface Snapshot {
  /** Epoch ms the figures were computed at. */
  asOf: number
  window: WindowName
  /** Epoch ms the window starts at (inclusive); it ends at asOf. */
  windowStart: number
  /** Human description of the window, e.g. "since 00:00 Asia/Shanghai". */
  windowLabel: string
  /** Id of the last Redis stream entry the figures include ("0-0" before the first). */
  streamId: string
  /** Service-level threshold T in seconds and target (0–1) the figures are judged by. */
  threshold: number
  target: number
  tz: string
  queues: Record<string, Figures>
  total: Figures
}

/** First message on every connection: everything the client needs, nothing before it. */
export interface SnapshotMessage extends Snapshot {
  type: 'snapshot'
}

/** A newer state of the same window; replaces the previous one whole. */
export interface UpdateMessage extends Snapshot {
  type: 'update'
}

/** Sent when nothing changed for a while, so the wall can tell a quiet queue from a dead link. */
export interface HeartbeatMessage {
  type: 'heartbeat'
  asOf: number
  streamId: string
}

export type ServerMessage = SnapshotMessage | UpdateMessage | HeartbeatMessage

/**
 * The open incidents, whole, to a client that asked for them (`/ws?…&alerts=1`): sent after
 * the first snapshot and whenever one opens, changes or resolves.
 */
export interface AlertsMessage {
  type: 'alerts'
  asOf: number
  incidents: Incident[]
}

/** Everything a wall that asked for alerts may receive. */
export type WallMessage = ServerMessage | AlertsMessage

/** Milliseconds without any message after which the wall shows its data as stale. */
export const STALE_AFTER_MS = 10_000

/** How often the server sends a heartbeat to an idle connection. */
export const HEARTBEAT_MS = 2_000

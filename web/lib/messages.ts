/**
 * Checks what arrives on the socket before the wall believes it. A message that is not
 * one of ours is dropped whole, rather than half-drawn.
 */
import type { AlertsMessage, ServerMessage, WallMessage } from '../../shared/protocol.ts'
import { frameObject, isRecord } from './frames.ts'

// Shallow on purpose: the server builds these with the shared types, so the check
// guards against a wrong endpoint or a truncated frame, not against every field.
function isServerMessage(value: unknown): value is ServerMessage {
  if (!isRecord(value) || typeof value.asOf !== 'number') return false
  if (value.type === 'heartbeat') return true
  if (value.type !== 'snapshot' && value.type !== 'update') return false

  return (
    isRecord(value.queues) &&
    isRecord(value.total) &&
    typeof value.target === 'number' &&
    typeof value.threshold === 'number' &&
    typeof value.windowLabel === 'string'
  )
}

function isAlertsMessage(value: unknown): value is AlertsMessage {
  return isRecord(value) && value.type === 'alerts' && Array.isArray(value.incidents)
}

/** The message in a WebSocket frame, or null when the frame is not a server message. */
export function parseServerMessage(data: unknown): WallMessage | null {
  const value = frameObject(data)
  return value !== null && (isServerMessage(value) || isAlertsMessage(value)) ? value : null
}

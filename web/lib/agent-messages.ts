/**
 * Checks what arrives on the agent board's socket before the board believes it, as
 * messages.ts does for the queue wall: a frame that is not one of ours is dropped whole.
 */
import type { AgentsMessage } from '../../shared/agent-protocol.ts'
import type { HeartbeatMessage } from '../../shared/protocol.ts'

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** The message in a frame, or null when the frame is not an agent-board message. */
export function parseAgentMessage(data: unknown): AgentsMessage | HeartbeatMessage | null {
  if (typeof data !== 'string') return null

  let value: unknown
  try {
    value = JSON.parse(data)
  } catch {
    return null
  }
  if (!isRecord(value) || typeof value.asOf !== 'number') return null
  if (value.type === 'heartbeat') return value as unknown as HeartbeatMessage

  // Shallow on purpose, as for the queue wall: the server builds these with shared types.
  const whole =
    value.type === 'agents' &&
    Array.isArray(value.agents) &&
    isRecord(value.total) &&
    typeof value.windowLabel === 'string'
  return whole ? (value as unknown as AgentsMessage) : null
}

/**
 * Checks what arrives on the agent board's socket before the board believes it, as
 * messages.ts does for the queue wall: a frame that is not one of ours is dropped whole.
 */
import type { AgentsMessage } from '../../shared/agent-protocol.ts'
import type { HeartbeatMessage } from '../../shared/protocol.ts'
import { frameObject, isRecord } from './frames.ts'

/** The message in a frame, or null when the frame is not an agent-board message. */
export function parseAgentMessage(data: unknown): AgentsMessage | HeartbeatMessage | null {
  const value = frameObject(data)
  if (value === null || typeof value.asOf !== 'number') return null
  if (value.type === 'heartbeat') return value as unknown as HeartbeatMessage

  // Shallow on purpose, as for the queue wall: the server builds these with shared types.
  const whole =
    value.type === 'agents' &&
    Array.isArray(value.agents) &&
    isRecord(value.total) &&
    typeof value.windowLabel === 'string'
  return whole ? (value as unknown as AgentsMessage) : null
}

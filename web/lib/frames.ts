/**
 * What the parsers of the three sockets (wall, agent board, screen) share: a text frame
 * read as JSON and the check that it holds an object. Each parser then checks the message
 * types of its own socket.
 */

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** The object in a text frame; null for a binary frame, broken JSON or anything else. */
export function frameObject(data: unknown): Record<string, unknown> | null {
  if (typeof data !== 'string') return null

  try {
    const value: unknown = JSON.parse(data)
    return isRecord(value) ? value : null
  } catch {
    return null
  }
}

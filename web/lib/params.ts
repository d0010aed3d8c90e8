/**
 * What a wall shows is set in its URL, because nobody touches a TV:
 * `?window=30m&queues=Sales,报修热线&total=0`.
 */
import { isWindowName, type WindowName } from '../../shared/windows.ts'

export interface BoardParams {
  /** Window the server computes figures over. @default 'today' */
  window: WindowName
  /** Queues to show, in this order; null shows every queue, sorted by name. */
  queues: string[] | null
  /** Whether the "All queues" tile is shown. @default true */
  showTotal: boolean
}

export const BOARD_DEFAULTS: BoardParams = {
  window: 'today',
  queues: null,
  showTotal: true,
}

/** Reads the board's settings from a query string; unknown or empty values fall back. */
export function parseBoardParams(search: string): BoardParams {
  const params = new URLSearchParams(search)
  const window = params.get('window')

  return {
    window: window !== null && isWindowName(window) ? window : BOARD_DEFAULTS.window,
    queues: parseQueueList(params.get('queues')),
    showTotal: params.get('total') !== '0',
  }
}

// Names are trimmed and deduplicated; a list with no name left means "all queues",
// so a stray `?queues=` does not leave the wall empty.
export function parseQueueList(value: string | null): string[] | null {
  if (value === null) return null

  const names = value
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '')
  return names.length === 0 ? null : [...new Set(names)]
}

/** The WebSocket address for a window, on the host that served the page. */
export function socketUrl(
  pageProtocol: string,
  pageHost: string,
  window: WindowName,
  queues: string[] | null = null,
): string {
  const scheme = pageProtocol === 'https:' ? 'wss:' : 'ws:'
  const query = new URLSearchParams({ window })

  // The server then sums the total over these queues only: a department's wall shows
  // its own total, not the whole centre's.
  if (queues !== null) query.set('queues', queues.join(','))
  return `${scheme}//${pageHost}/ws?${query}`
}

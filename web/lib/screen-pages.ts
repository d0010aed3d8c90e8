/**
 * A screen's pages as the wall shows them: which page is up, what each one asks the
 * server for, and the messages of its socket (`/ws/screen?name=…`).
 */
import type { HeartbeatMessage } from '../../shared/protocol.ts'
import { SCREEN_NAME, type ScreenMessage, type ScreenPage } from '../../shared/screens.ts'
import type { AgentBoardParams } from './agent-params.ts'
import type { BoardParams } from './params.ts'
import { frameObject, isRecord } from './frames.ts'

/** The screen a wall's address names (`?screen=floor-2-tv`), or null. */
export function screenNameOf(search: string): string | null {
  const name = new URLSearchParams(search).get('screen')
  return name !== null && SCREEN_NAME.test(name) ? name : null
}

/**
 * The page up at `epochMs`, each page staying `seconds`, counted from the epoch so that
 * every TV showing the screen is on the same page at the same time.
 */
export function pageAt(epochMs: number, count: number, seconds: number): number {
  if (count <= 1 || seconds <= 0) return 0
  return Math.floor(Math.max(0, epochMs) / (seconds * 1000)) % count
}

/** How long before its turn the next page is mounted, hidden, to open its socket. */
export const PREPARE_MS = 3000

/**
 * The pages mounted at `epochMs`: the one up, and in the last PREPARE_MS before a turn the
 * next one too (hidden), so that it has its figures by the time it is shown.
 */
export function pagesMounted(epochMs: number, count: number, seconds: number): number[] {
  const up = pageAt(epochMs, count, seconds)
  if (count <= 1 || seconds <= 0) return [up]

  const period = seconds * 1000
  const untilTurn = period - (Math.max(0, epochMs) % period)
  return untilTurn <= PREPARE_MS ? [up, (up + 1) % count] : [up]
}

/** A key that changes when, and only when, what a page shows changes. */
export function pageKey(page: ScreenPage): string {
  return JSON.stringify(page)
}

/** A queue page as the queue wall's settings. */
export function boardParamsOf(page: ScreenPage & { kind: 'queues' }): BoardParams {
  return { window: page.window, queues: page.queues, showTotal: page.total }
}

/** An agents page as the agent board's settings. */
export function agentParamsOf(page: ScreenPage & { kind: 'agents' }): AgentBoardParams {
  return { window: page.window, teams: page.teams, queues: page.queues }
}

/** The address of the screen's socket, on the host that served the page. */
export function screenSocketUrl(pageProtocol: string, pageHost: string, name: string): string {
  const scheme = pageProtocol === 'https:' ? 'wss:' : 'ws:'
  return `${scheme}//${pageHost}/ws/screen?${new URLSearchParams({ name })}`
}

/** A frame of the screen's socket, or null when it is not one of ours. */
export function parseScreenMessage(data: unknown): ScreenMessage | HeartbeatMessage | null {
  const value = frameObject(data)
  if (value === null || typeof value.asOf !== 'number') return null
  if (value.type === 'heartbeat') return value as unknown as HeartbeatMessage

  // Shallow, as for the other sockets: the server builds these from checked layouts.
  const screen = value.screen
  const whole =
    value.type === 'screen' &&
    typeof value.name === 'string' &&
    (screen === null || (isRecord(screen) && Array.isArray(screen.pages)))
  return whole ? (value as unknown as ScreenMessage) : null
}

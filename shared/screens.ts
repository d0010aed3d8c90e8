/**
 * Screens: a named TV's layout, stored on the server so that a manager changes what a TV
 * shows from a laptop. Types and names only, shared by the server (which checks layouts
 * with zod, server/screens/screen-schema.ts) and the wall (which shows them).
 */
import type { WindowName } from './windows.ts'

/** The figures a queue tile can show, in the order the tile lays them out. */
export const SCREEN_FIGURES = [
  'serviceLevel',
  'waiting',
  'longestWait',
  'asa',
  'abandonRate',
  'answerRate',
  'aht',
  'offeredAnswered',
] as const
export type ScreenFigure = (typeof SCREEN_FIGURES)[number]

/** What a tile showed before screens existed, and still shows by default. */
export const DEFAULT_FIGURES: readonly ScreenFigure[] = SCREEN_FIGURES.filter(
  (figure) => figure !== 'answerRate',
)

export const THEMES = ['dark', 'light', 'high-contrast'] as const
export type Theme = (typeof THEMES)[number]

export const SCREEN_LANGS = ['zh', 'en'] as const
export type ScreenLang = (typeof SCREEN_LANGS)[number]

/**
 * A name that can stand in an address as it is: `floor-2-tv`. The `-` is escaped because
 * the managers' page also gives this as an input's `pattern`, which browsers compile with
 * the `v` flag: there a bare `-` at a class's end is a syntax error, and the check is lost.
 */
export const SCREEN_NAME = /^[A-Za-z0-9][A-Za-z0-9._\-]{0,63}$/

/** A page of queue tiles. */
export interface QueuesPage {
  kind: 'queues'
  /** Queues in the order shown; null for every queue. */
  queues: string[] | null
  figures: ScreenFigure[]
  window: WindowName
  /** Whether the "All queues" tile is shown. */
  total: boolean
}

/** A page of the agent board. */
export interface AgentsPage {
  kind: 'agents'
  /** Teams shown; null for all. */
  teams: string[] | null
  /** Only agents seen in these queues; null for all. */
  queues: string[] | null
  window: WindowName
}

export type ScreenPage = QueuesPage | AgentsPage

/** What an admin sends: the layout without the server's bookkeeping. */
export interface ScreenLayoutInput {
  pages: ScreenPage[]
  /** Seconds each page stays before the next; ignored with one page. */
  rotationSeconds: number
  theme: Theme
  /** The screen's language; null leaves it to the address (`?lang=`) or the browser. */
  language: ScreenLang | null
}

/** A stored screen. */
export interface Screen extends ScreenLayoutInput {
  name: string
  /** Raised by every change of any screen; send it back to change only what you read. */
  revision: number
  /** Epoch ms of the last change, and who made it (the token's name). */
  updatedAt: number
  updatedBy: string
}

/** `/ws/screen?name=…`: the screen at once, and again whenever it changes (null: none). */
export interface ScreenMessage {
  type: 'screen'
  asOf: number
  name: string
  screen: Screen | null
}

/**
 * A screen as the managers' panel edits it: lists of names as the text typed, every page
 * kind's fields kept while a page is switched between kinds, turned back into a layout to
 * save. The server checks the result; this only shapes it.
 */
import {
  DEFAULT_FIGURES,
  type Screen,
  type ScreenFigure,
  type ScreenLang,
  type ScreenLayoutInput,
  type ScreenPage,
  type Theme,
} from '../../shared/screens.ts'
import type { WindowName } from '../../shared/windows.ts'
import { parseQueueList } from './params.ts'

export interface DraftPage {
  kind: 'queues' | 'agents'
  /** Comma-separated; empty for all. */
  queues: string
  teams: string
  figures: ScreenFigure[]
  window: WindowName
  total: boolean
}

export interface Draft {
  pages: DraftPage[]
  rotationSeconds: number
  theme: Theme
  language: ScreenLang | 'auto'
}

export function newPage(kind: DraftPage['kind']): DraftPage {
  return {
    kind,
    queues: '',
    teams: '',
    figures: [...DEFAULT_FIGURES],
    window: 'today',
    total: true,
  }
}

export const NEW_DRAFT: Draft = {
  pages: [newPage('queues')],
  rotationSeconds: 20,
  theme: 'dark',
  language: 'auto',
}

export function draftOf(screen: Screen): Draft {
  return {
    pages: screen.pages.map((page) => ({
      ...newPage(page.kind),
      queues: page.queues?.join(', ') ?? '',
      window: page.window,
      ...(page.kind === 'queues'
        ? { figures: [...page.figures], total: page.total }
        : { teams: page.teams?.join(', ') ?? '' }),
    })),
    rotationSeconds: screen.rotationSeconds,
    theme: screen.theme,
    language: screen.language ?? 'auto',
  }
}

export function layoutOf(draft: Draft): ScreenLayoutInput {
  const pages = draft.pages.map((page): ScreenPage => {
    const queues = parseQueueList(page.queues)
    if (page.kind === 'agents') {
      return { kind: 'agents', teams: parseQueueList(page.teams), queues, window: page.window }
    }
    return { kind: 'queues', queues, figures: page.figures, window: page.window, total: page.total }
  })
  return {
    pages,
    rotationSeconds: draft.rotationSeconds,
    theme: draft.theme,
    language: draft.language === 'auto' ? null : draft.language,
  }
}

/** The draft with page `index` moved by `by` places (−1 up, +1 down), if it can go there. */
export function movePage(draft: Draft, index: number, by: -1 | 1): Draft {
  const to = index + by
  if (to < 0 || to >= draft.pages.length) return draft

  const pages = [...draft.pages]
  const [page] = pages.splice(index, 1)
  if (page !== undefined) pages.splice(to, 0, page)
  return { ...draft, pages }
}

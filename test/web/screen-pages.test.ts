import { describe, expect, it } from 'vitest'
import type { Screen } from '../../shared/screens.ts'
import { draftOf, layoutOf, movePage, NEW_DRAFT } from '../../web/lib/screen-draft.ts'
import {
  pageAt,
  pagesMounted,
  parseScreenMessage,
  screenNameOf,
} from '../../web/lib/screen-pages.ts'

describe('a screen’s pages on the wall', () => {
  it('turns pages every `seconds` from the epoch, the first again after the last', () => {
    // 3 pages of 20 s: 0–19.999 s page 0, 20 s page 1, 40 s page 2, 60 s page 0 again;
    // 1 733 212 800 000 ms is 86 660 640 periods of 20 s, a multiple of 3: page 0.
    expect(pageAt(0, 3, 20)).toBe(0)
    expect(pageAt(19_999, 3, 20)).toBe(0)
    expect(pageAt(20_000, 3, 20)).toBe(1)
    expect(pageAt(40_000, 3, 20)).toBe(2)
    expect(pageAt(60_000, 3, 20)).toBe(0)
    expect(pageAt(5_000_000, 1, 20)).toBe(0)
    expect(pageAt(1_733_212_800_000, 3, 20)).toBe(0)
    expect(pageAt(1_733_212_820_000, 3, 20)).toBe(1)
    // A clock set back (NTP) shows the first page rather than a negative one.
    expect(pageAt(-5_000, 3, 20)).toBe(0)
  })

  it('mounts the next page in the last 3 s before its turn, and only then', () => {
    // 3 pages of 20 s: page 0 runs 0–20 s; from 17 s page 1 is mounted too; at 20 s it is up
    // and the page after it waits until 37 s. One page: never a second.
    expect(pagesMounted(16_999, 3, 20)).toEqual([0])
    expect(pagesMounted(17_000, 3, 20)).toEqual([0, 1])
    expect(pagesMounted(20_000, 3, 20)).toEqual([1])
    expect(pagesMounted(59_000, 3, 20)).toEqual([2, 0])
    expect(pagesMounted(19_000, 1, 20)).toEqual([0])
  })

  it('reads the screen name from the address, and only a valid one', () => {
    expect(screenNameOf('?screen=floor-2-tv&lang=zh')).toBe('floor-2-tv')
    expect(screenNameOf('?screen=../etc')).toBeNull()
    expect(screenNameOf('?queues=Sales')).toBeNull()
  })

  it('believes only screen messages and heartbeats', () => {
    const screen = { type: 'screen', asOf: 1, name: 'a', screen: null }
    expect(parseScreenMessage(JSON.stringify(screen))).toEqual(screen)
    expect(parseScreenMessage('{"type":"heartbeat","asOf":1,"streamId":""}')).not.toBeNull()
    expect(parseScreenMessage('{"type":"screen","asOf":1,"name":"a","screen":{}}')).toBeNull()
    expect(parseScreenMessage('not json')).toBeNull()
  })
})

describe('the Screens panel’s draft', () => {
  const stored: Screen = {
    name: 'floor',
    pages: [
      {
        kind: 'queues',
        queues: ['Sales', '报修热线'],
        figures: ['serviceLevel'],
        window: 'interval',
        total: false,
      },
      { kind: 'agents', teams: null, queues: null, window: 'today' },
    ],
    rotationSeconds: 30,
    theme: 'light',
    language: null,
    revision: 4,
    updatedAt: 0,
    updatedBy: 'Wang Fang',
  }

  it('gives back the stored layout when nothing was edited', () => {
    const { name: _, revision: __, updatedAt: ___, updatedBy: ____, ...layout } = stored
    expect(layoutOf(draftOf(stored))).toEqual(layout)
  })

  it('turns typed lists into names, an empty one into all', () => {
    const draft = draftOf(stored)
    draft.pages[0]!.queues = ' Support ,, Sales, Support'
    draft.pages[1]!.teams = ''
    const pages = layoutOf(draft).pages
    expect(pages[0]!.queues).toEqual(['Support', 'Sales'])
    expect(pages[1]).toMatchObject({ kind: 'agents', teams: null })
    expect(layoutOf(NEW_DRAFT).pages[0]!.queues).toBeNull()
  })

  it('moves a page up and down, never past either end', () => {
    const draft = draftOf(stored)
    expect(movePage(draft, 1, -1).pages.map((page) => page.kind)).toEqual(['agents', 'queues'])
    expect(movePage(draft, 0, -1)).toBe(draft)
    expect(movePage(draft, 1, 1)).toBe(draft)
  })
})

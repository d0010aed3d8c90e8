import { describe, expect, it } from 'vitest'
import { emptyCounters, deriveFigures } from '../../shared/figures.ts'
import type { Snapshot } from '../../shared/protocol.ts'
import { BOARD_DEFAULTS } from '../../web/lib/params.ts'
import { buildTiles, sharedRule } from '../../web/lib/tiles.ts'

const figures = deriveFigures(emptyCounters())
const snapshot: Snapshot = {
  asOf: 0,
  window: 'today',
  windowStart: 0,
  windowLabel: 'since 00:00 UTC',
  streamId: '0-0',
  threshold: 20,
  target: 0.8,
  tz: 'UTC',
  queues: { 'Queue 10': figures, 'Queue 2': figures, 报修热线: figures },
  total: figures,
}

describe('buildTiles', () => {
  it('shows the total first, then every queue by name', () => {
    const names = buildTiles(snapshot, BOARD_DEFAULTS).map((tile) => tile.queue)
    expect(names).toEqual([null, 'Queue 2', 'Queue 10', '报修热线'])
  })

  it('follows the queue list of the URL, keeping unknown queues as empty tiles', () => {
    const tiles = buildTiles(snapshot, {
      ...BOARD_DEFAULTS,
      queues: ['报修热线', 'Later'],
      showTotal: false,
    })

    expect(tiles.map((tile) => tile.queue)).toEqual(['报修热线', 'Later'])
    expect(tiles[1]?.figures).toBeNull()
  })

  it('keeps a queue named like an Object property empty until it has figures', () => {
    const tiles = buildTiles(snapshot, { ...BOARD_DEFAULTS, queues: ['toString', 'constructor'] })
    // Not Object.prototype's functions: no figures yet.
    expect(tiles.filter((tile) => tile.queue !== null).map((tile) => tile.figures)).toEqual([
      null,
      null,
    ])
  })
})

describe('sharedRule', () => {
  const judged = (target: number, threshold: number) => ({ ...figures, target, threshold })
  const tile = (queue: string, f: typeof figures | null) => ({ key: queue, queue, figures: f })

  it('names the rule the shown queues share, even when it is not the default row’s', () => {
    // A TV of Support alone, judged 85 % in 10 s while the default row says 80 % in 20 s.
    const support = [tile('Support', judged(0.85, 10))]
    expect(sharedRule(support, snapshot)).toEqual({ target: 0.85, threshold: 10 })
  })

  it('names none when the queues shown are judged apart, and the default before figures', () => {
    const two = [tile('Support', judged(0.85, 10)), tile('Sales', judged(0.8, 20))]
    expect(sharedRule(two, snapshot)).toBeNull()
    expect(sharedRule([tile('Sales', judged(0.8, 10)), ...two.slice(1)], snapshot)).toBeNull()
    expect(sharedRule([tile('Later', null)], snapshot)).toEqual({ target: 0.8, threshold: 20 })
  })
})

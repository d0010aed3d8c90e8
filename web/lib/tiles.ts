/**
 * Which tiles the wall shows, in which order, from a snapshot and the board's settings.
 */
import type { Figures } from '../../shared/figures.ts'
import type { Snapshot } from '../../shared/protocol.ts'
import type { BoardParams } from './params.ts'

export interface Tile {
  /** Stable key for the keyed each-block. */
  key: string
  /** Queue name, or null for the all-queues tile. */
  queue: string | null
  /** Null when a queue asked for in the URL is not (yet) in the snapshot. */
  figures: Figures | null
}

const byName = new Intl.Collator(undefined, { numeric: true })

export function buildTiles(snapshot: Snapshot, params: BoardParams): Tile[] {
  // A queue named in the URL keeps its place even before its first call, so the
  // layout the supervisors learnt does not shift when it appears.
  const names = params.queues ?? Object.keys(snapshot.queues).sort(byName.compare)
  const tiles: Tile[] = []

  if (params.showTotal) tiles.push({ key: 'total', queue: null, figures: snapshot.total })
  for (const name of names) {
    tiles.push({ key: `queue:${name}`, queue: name, figures: snapshot.queues[name] ?? null })
  }
  return tiles
}

/**
 * Which tiles the wall shows, in which order, from a snapshot and the board's settings.
 */
import type { Figures } from '../../shared/figures.ts'
import type { Snapshot } from '../../shared/protocol.ts'
import type { BoardParams } from './params.ts'
import { own } from '../../shared/own.ts'

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
    tiles.push({ key: `queue:${name}`, queue: name, figures: own(snapshot.queues, name) ?? null })
  }
  return tiles
}

/**
 * The target and T the header names: the one the shown tiles share, null when they differ
 * (each tile then says its own), the snapshot's default when no tile has figures yet.
 */
export function sharedRule(
  tiles: readonly Tile[],
  snapshot: Snapshot,
): { target: number; threshold: number } | null {
  const rules = new Map<string, { target: number; threshold: number }>()

  for (const { figures } of tiles) {
    if (figures === null) continue
    const rule = {
      target: figures.target ?? snapshot.target,
      threshold: figures.threshold ?? snapshot.threshold,
    }
    rules.set(`${rule.target}|${rule.threshold}`, rule)
  }
  if (rules.size === 0) return { target: snapshot.target, threshold: snapshot.threshold }
  const [only] = rules.values()
  return rules.size === 1 ? (only ?? null) : null
}

/**
 * The longest wait as it stands now, ticking on from the snapshot's arrival on this
 * browser's clock rather than from the server's asOf: a TV's clock can be minutes off, the
 * time since arrival cannot. Null when nobody waits (or nothing is known).
 */
export function longestWaitNow(
  figures: Figures | null,
  receivedAt: number,
  now: number,
): number | null {
  if (figures?.longestWait == null) return null
  return figures.longestWait + Math.max(0, now - receivedAt) / 1000
}

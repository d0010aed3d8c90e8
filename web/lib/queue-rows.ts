/**
 * The managers' queue table: one row per queue, sorted by any column. Rows with no value
 * in the sorted column go last whichever the direction, so "—" never tops a ranking.
 */
import type { Figures } from '../../shared/figures.ts'
import type { Snapshot } from '../../shared/protocol.ts'
import type { QueueColumn } from './manage-text.ts'

export interface QueueRow {
  queue: string
  figures: Figures
}

export type SortDirection = 'ascending' | 'descending'

export interface SortOrder {
  column: QueueColumn
  direction: SortDirection
}

/** Rows of a live snapshot, or of a past day's figures. */
export function queueRows(
  snapshot: Pick<Snapshot, 'queues'>,
  order: SortOrder,
  locale: string,
): QueueRow[] {
  const rows = Object.entries(snapshot.queues).map(([queue, figures]) => ({ queue, figures }))
  const sign = order.direction === 'ascending' ? 1 : -1
  const byName = (a: QueueRow, b: QueueRow) => a.queue.localeCompare(b.queue, locale)

  if (order.column === 'queue') return rows.sort((a, b) => sign * byName(a, b))

  const column = order.column
  return rows.sort((a, b) => {
    const x = a.figures[column]
    const y = b.figures[column]
    if (x === null && y === null) return byName(a, b)
    if (x === null) return 1
    if (y === null) return -1
    return sign * (x - y) || byName(a, b)
  })
}

/** A click on a column: the other direction on the sorted one, else worst first. */
export function nextOrder(current: SortOrder, column: QueueColumn): SortOrder {
  if (current.column === column) {
    return {
      column,
      direction: current.direction === 'ascending' ? 'descending' : 'ascending',
    }
  }
  // Low service and answer rates are the trouble; for the rest, high numbers are.
  const lowIsBad = column === 'queue' || column === 'serviceLevel' || column === 'answerRate'
  return { column, direction: lowIsBad ? 'ascending' : 'descending' }
}

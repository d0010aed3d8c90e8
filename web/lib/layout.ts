/**
 * Picks the tile grid for a screen: the column count that gives the largest tiles
 * of a readable shape, so 4 tiles become 2 × 2 and 13 become 5 × 3 on a 16:9 wall.
 */

export interface GridShape {
  columns: number
  rows: number
  /** Rows the first tile spans; more than 1 only for a hero tile. */
  heroRows: number
}

export interface GridOptions {
  /** Let the first tile (all queues) fill its column when the grid has cells to spare. */
  hero: boolean
  /** Width ÷ height a tile's content is laid out for. */
  tileAspect: number
}

export const GRID_DEFAULTS: GridOptions = { hero: false, tileAspect: 1.35 }

export function gridShape(
  count: number,
  width: number,
  height: number,
  options: Partial<GridOptions> = {},
): GridShape {
  const { hero, tileAspect } = { ...GRID_DEFAULTS, ...options }
  if (count <= 1 || width <= 0 || height <= 0) return { columns: 1, rows: 1, heroRows: 1 }

  let columns = 1
  let rows = count
  let bestSize = 0

  for (let tryColumns = 1; tryColumns <= count; tryColumns++) {
    const tryRows = Math.ceil(count / tryColumns)
    // The largest tile of the wanted shape that fits in one grid cell, by its height.
    const size = Math.min(width / tryColumns / tileAspect, height / tryRows)

    if (size > bestSize) {
      columns = tryColumns
      rows = tryRows
      bestSize = size
    }
  }

  // Spare cells would sit empty at the bottom right; given to the total instead, they
  // make it the largest tile, which is also the one read first.
  const spare = columns * rows - count
  const heroRows = hero && columns > 1 && rows > 1 && spare >= rows - 1 ? rows : 1
  return { columns, rows, heroRows }
}

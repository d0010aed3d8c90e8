import { describe, expect, it } from 'vitest'
import { gridShape } from '../../web/lib/layout.ts'

// The tile area of a 1920 × 1080 wall below its header.
const W = 1920
const H = 990

describe('gridShape', () => {
  it('picks shapes that suit a 16:9 wall', () => {
    expect(gridShape(1, W, H)).toEqual({ columns: 1, rows: 1, heroRows: 1 })
    expect(gridShape(4, W, H)).toMatchObject({ columns: 2, rows: 2 })
    expect(gridShape(6, W, H)).toMatchObject({ columns: 3, rows: 2 })
    expect(gridShape(13, W, H)).toMatchObject({ columns: 5, rows: 3 })
  })

  it('lets the total fill its column when the last row has room to spare', () => {
    expect(gridShape(5, W, H, { hero: true }).heroRows).toBe(2)
    expect(gridShape(13, W, H, { hero: true }).heroRows).toBe(3)
  })

  it('keeps every tile in one cell when there is no room to spare or no total', () => {
    expect(gridShape(6, W, H, { hero: true }).heroRows).toBe(1)
    expect(gridShape(5, W, H).heroRows).toBe(1)
  })

  it('finds a cell for every tile, from 1 to 16 tiles', () => {
    for (let count = 1; count <= 16; count++) {
      const { columns, rows, heroRows } = gridShape(count, W, H, { hero: true })
      expect(columns * rows - (heroRows - 1)).toBeGreaterThanOrEqual(count)
    }
  })
})

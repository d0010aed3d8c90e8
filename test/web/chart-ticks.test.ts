import { describe, expect, it } from 'vitest'
import { countScale, countTicks } from '../../web/lib/chart-ticks.ts'

const ticks = (most: number) => countTicks(countScale(most, [200, 0]))

describe('the y axis of a chart of counts', () => {
  it('ticks small maxima at whole numbers, each once', () => {
    // d3 alone gives 0, 0.5, 1, 1.5, 2 for a maximum of 2: "0 1 1 2 2" once rounded.
    expect(ticks(0)).toEqual([0, 1])
    expect(ticks(1)).toEqual([0, 1])
    expect(ticks(2)).toEqual([0, 1, 2])
    expect(ticks(3)).toEqual([0, 1, 2, 3])
  })

  it('steps by whole numbers on larger maxima and ends the axis on a tick', () => {
    // 7 with about four ticks: steps of 2, the axis widened to 8.
    expect(ticks(7)).toEqual([0, 2, 4, 6, 8])
    expect(countScale(7, [200, 0]).domain()).toEqual([0, 8])
    // 130: steps of 50, the axis widened to 150.
    expect(ticks(130)).toEqual([0, 50, 100, 150])
  })

  it('places the ticks on the range given', () => {
    const scale = countScale(2, [200, 0])
    expect(countTicks(scale).map((tick) => scale(tick))).toEqual([200, 100, 0])
  })
})

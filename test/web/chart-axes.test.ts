import { describe, expect, it } from 'vitest'
import {
  bandCentre,
  countScale,
  countTicks,
  intervalBands,
  intervalLabels,
} from '../../web/lib/chart-axes.ts'

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

  it('gives each interval a band and labels one every two hours', () => {
    // 8 half hours over 44–444 px: 8 bands + 0.2 padding each side and between = 8 steps of
    // 400 / (8 + 0.2) px; the first band starts 0.2 step in, the labels fall on 00:00 and 02:00.
    const starts = ['00:00', '00:30', '01:00', '01:30', '02:00', '02:30', '03:00', '03:30']
    const x = intervalBands(starts, 44, 444)
    const step = 400 / 8.2
    expect(x(starts[0]!)).toBeCloseTo(44 + 0.2 * step)
    expect(x.bandwidth()).toBeCloseTo(0.8 * step)
    expect(bandCentre(x, '00:00')).toBeCloseTo(44 + 0.6 * step)
    expect(intervalLabels(x, 30).map((label) => label.label)).toEqual(['00:00', '02:00'])
    // Quarter hours: a label every 8 bands; an hour-long interval: every 2.
    expect(intervalLabels(x, 15).map((label) => label.label)).toEqual(['00:00'])
    expect(intervalLabels(x, 60).map((label) => label.label)).toEqual([
      '00:00',
      '01:00',
      '02:00',
      '03:00',
    ])
  })
})

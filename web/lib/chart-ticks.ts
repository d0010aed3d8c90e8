/**
 * The y axis of a chart of counts (calls waiting, calls offered): a scale that ends on a whole
 * number and ticks at whole numbers only. d3 would tick a 0–2 axis at 0, 0.5, 1, 1.5 and 2,
 * which read "0 1 1 2 2" once rounded to whole calls.
 */
import { scaleLinear, type ScaleLinear } from 'd3-scale'

/** A scale from 0 to at least `most` (and at least 1), over `range` (bottom, top) in pixels. */
export function countScale(most: number, range: [number, number]): ScaleLinear<number, number> {
  return scaleLinear()
    .domain([0, Math.max(1, most)])
    .nice(TICKS)
    .range(range)
}

/** The scale's ticks that are whole numbers, about `TICKS` of them, each once. */
export function countTicks(scale: ScaleLinear<number, number>): number[] {
  return scale.ticks(TICKS).filter((tick) => Number.isInteger(tick))
}

const TICKS = 4

/** The interval starts labelled along a chart's bottom: one every two hours or so. */
export function labelledStarts(starts: readonly string[], intervalMinutes: number): string[] {
  const every = Math.max(1, Math.round(120 / intervalMinutes))
  return starts.filter((_, index) => index % every === 0)
}

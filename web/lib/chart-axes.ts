/**
 * The axes of the managers' charts. Along the bottom, a band per interval, labelled every
 * two hours or so. Up the side, for counts (calls waiting, calls offered), a scale that ends
 * on a whole number and ticks at whole numbers only: d3 alone would tick a 0–2 axis at 0,
 * 0.5, 1, 1.5 and 2, which read "0 1 1 2 2" once rounded to whole calls.
 */
import { scaleBand, scaleLinear, type ScaleBand, type ScaleLinear } from 'd3-scale'

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

/** A band per interval start, between the plot's left and right edges in pixels. */
export function intervalBands(
  starts: readonly string[],
  left: number,
  right: number,
): ScaleBand<string> {
  return scaleBand<string>()
    .domain(starts)
    .range([left, Math.max(left + 1, right)])
    .padding(0.2)
}

/** The middle of an interval's band, in pixels. */
export function bandCentre(x: ScaleBand<string>, start: string): number {
  return (x(start) ?? 0) + x.bandwidth() / 2
}

/** The labels along the bottom: one every two hours or so, each at its band's middle. */
export function intervalLabels(
  x: ScaleBand<string>,
  intervalMinutes: number,
): { at: number; label: string }[] {
  const every = Math.max(1, Math.round(120 / intervalMinutes))
  return x
    .domain()
    .filter((_, index) => index % every === 0)
    .map((start) => ({ at: bandCentre(x, start), label: start }))
}

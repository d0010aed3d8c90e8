/**
 * The SVG path of a sparkline: straight segments between the points that have a value, a
 * gap where one has none, and a short dash for a point alone between gaps. Written out
 * rather than taken from d3, whose package entry would bring transitions and colour
 * interpolation into the wall's bundle for one line.
 */
export function sparklinePath<T>(
  points: readonly T[],
  x: (point: T) => number,
  y: (point: T) => number | null,
): string {
  const runs: [number, number][][] = [[]]

  for (const point of points) {
    const level = y(point)
    if (level !== null) runs.at(-1)?.push([round(x(point)), round(level)])
    else if (runs.at(-1)?.length !== 0) runs.push([])
  }

  return runs
    .filter((run) => run.length > 0)
    .map((run) => {
      const [[firstX, firstY] = [0, 0], ...rest] = run
      if (rest.length === 0) return `M${firstX - 1},${firstY}h2`
      return `M${firstX},${firstY}` + rest.map(([px, py]) => `L${px},${py}`).join('')
    })
    .join('')
}

function round(value: number): number {
  return Math.round(value * 100) / 100
}

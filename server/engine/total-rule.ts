/**
 * How the figures of several queues together (the Total tile, a report's total) are
 * judged. Counters add up whatever the rule, but a ratio needs one formula, and the tile
 * one T and target to show: when every queue summed shares one rule, the total is judged by
 * it (a wall of Sales alone on V1 shows the same figure in both tiles); when they differ
 * there is no right one, and the default row's is taken.
 */
import type { FigureRule } from '../../shared/figures.ts'

export function totalRule(
  rules: (queue: string | null) => FigureRule,
  queues: readonly string[],
): FigureRule {
  const [first, ...rest] = queues
  if (first === undefined) return rules(null)

  const shared = rules(first)
  for (const name of rest) if (!sameRule(rules(name), shared)) return rules(null)
  return shared
}

function sameRule(a: FigureRule, b: FigureRule): boolean {
  return (
    a.variant === b.variant && a.thresholdSeconds === b.thresholdSeconds && a.target === b.target
  )
}

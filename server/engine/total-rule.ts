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
  const judged = rest.every((name) => sameRule(rules(name), shared)) ? shared : rules(null)
  return withShortAbandon(judged, shortAbandonOf(rules, queues))
}

/**
 * S counts (a short abandon is one by its own queue's S) and does not judge, so it leaves
 * the choice of rule alone; the total names the S of its queues only when they share one.
 */
function shortAbandonOf(
  rules: (queue: string | null) => FigureRule,
  queues: readonly string[],
): number | undefined {
  const seconds = new Set(queues.map((name) => rules(name).shortAbandonSeconds))
  return seconds.size === 1 ? [...seconds][0] : undefined
}

function withShortAbandon(rule: FigureRule, seconds: number | undefined): FigureRule {
  const { shortAbandonSeconds: _, ...judged } = rule
  return seconds === undefined ? judged : { ...judged, shortAbandonSeconds: seconds }
}

function sameRule(a: FigureRule, b: FigureRule): boolean {
  return (
    a.variant === b.variant && a.thresholdSeconds === b.thresholdSeconds && a.target === b.target
  )
}

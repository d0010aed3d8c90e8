/** Stream entry ids ("<ms>-<seq>"), as Redis orders them. */

/** Negative, zero or positive as `a` comes before, with or after `b`. */
export function compareIds(a: string, b: string): number {
  const [aMs = 0, aSeq = 0] = a.split('-').map(Number)
  const [bMs = 0, bSeq = 0] = b.split('-').map(Number)
  return aMs - bMs || aSeq - bSeq
}

/**
 * An upload (schedule, teams, roster, rules) refused whole, with every problem found named
 * by row, field and reason, so the sender can fix them all at once. Nothing of it is stored.
 */

/** Something wrong with one row (or the whole upload, without a row). */
export interface UploadProblem {
  row?: number
  line?: number
  field?: string
  reason: string
}

/** Refuses an upload; the message is the first problem. */
export class UploadError extends Error {
  override readonly name = 'UploadError'

  constructor(readonly problems: UploadProblem[]) {
    super(describeProblem(problems[0]))
  }
}

/** "row 3, field start: expected …", the form of every upload error. */
export function describeProblem(problem: UploadProblem | undefined): string {
  if (problem === undefined) return 'upload refused'

  const where = [
    problem.row === undefined ? '' : `row ${problem.row}`,
    problem.line === undefined ? '' : `line ${problem.line}`,
    problem.field === undefined ? '' : `field ${problem.field}`,
  ].filter(Boolean)
  return where.length > 0 ? `${where.join(', ')}: ${problem.reason}` : problem.reason
}

/**
 * Error classes for expected failures. The HTTP layer maps them to status codes in one
 * place; anything else is a bug and answers 500.
 */

/** Input that cannot be accepted, with where it went wrong so the sender can fix it. */
export class InputError extends Error {
  override readonly name = 'InputError'

  constructor(
    message: string,
    /** 1-based line of the request body. */
    readonly line?: number,
    /** The field, column or JSON path that is wrong. */
    readonly field?: string,
    /**
     * 1-based place of the event in a JSON array, named instead of a line: an array may be
     * written on one line or over many, and its elements' lines are not known.
     */
    readonly event?: number,
  ) {
    super(message)
  }

  /** "line 12, field holdtime: expected …" — the form every error message of ours takes. */
  get detail(): string {
    const where = [
      this.line === undefined ? '' : `line ${this.line}`,
      this.event === undefined ? '' : `event ${this.event}`,
      this.field === undefined ? '' : `field ${this.field}`,
    ].filter(Boolean)

    return where.length > 0 ? `${where.join(', ')}: ${this.message}` : this.message
  }
}

/** Redis cannot be reached; the client should retry later, nothing was stored. */
export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError'
}

/** One wrong field of a document and what was expected there. */
export interface FieldProblem {
  field: string
  message: string
}

/** A document refused whole: the first problem leads, every one is listed (`errors`). */
export class FieldsError extends InputError {
  constructor(readonly problems: FieldProblem[]) {
    const first = problems[0] ?? { field: 'body', message: 'not a document this route takes' }
    super(first.message, undefined, first.field)
  }
}

/**
 * A request body that should be one JSON document. When it is not, the answer says so,
 * and on which line the parser stopped, instead of letting the schema report "expected an
 * object" of a body it never saw.
 */
import { jsonErrorLine } from '../adapters/json-error-line.ts'
import { FieldsError } from '../errors.ts'

/** The parsed body, or a FieldsError on field `body`; `what` names the document expected. */
export function parseJsonBody(text: string, what: string): unknown {
  if (text.trim() === '') throw bodyError(`the body is empty; expected ${what} as JSON`)

  try {
    return JSON.parse(text)
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error
    const line = jsonErrorLine(text, error)
    throw bodyError(`the body is not valid JSON (line ${line}): ${error.message}`)
  }
}

function bodyError(message: string): FieldsError {
  return new FieldsError([{ field: 'body', message }])
}

/**
 * One call to the JSON API from a managers' panel, as an outcome rather than a throw: the
 * value, or the server's refusal in the parts the panels show (its words, the wrong fields,
 * and after a 409 what someone else saved meanwhile). Shared by the Screens and Settings
 * panels' calls, which refuse in the same shape (server/http: error, field, errors).
 */

/** One wrong field as the server named it, e.g. `queues.Sales.targetPercent`. */
export interface FieldProblem {
  field: string
  message: string
}

export interface Refusal {
  ok: false
  /** The HTTP status; 0 when the server could not be reached. */
  status: number
  error: string
  /** The first wrong field's path, when the server named one. */
  field?: string
  /** Every wrong field, each with what was wrong with it; empty when none was named. */
  problems: FieldProblem[]
  /** After a 409: the screen's revision, or the settings' version, saved meanwhile. */
  revision?: number
  version?: number
}

export type Outcome<T> = { ok: true; value: T } | Refusal

export async function callJson<T>(
  method: string,
  path: string,
  body?: unknown,
): Promise<Outcome<T>> {
  try {
    const response = await fetch(path, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    if (response.status === 204) return { ok: true, value: null as T }

    const answer = (await response.json().catch(() => ({}))) as Record<string, unknown>
    if (response.ok) return { ok: true, value: answer as T }

    const refusal: Refusal = {
      ok: false,
      status: response.status,
      error: typeof answer.error === 'string' ? answer.error : `HTTP ${response.status}`,
      problems: Array.isArray(answer.errors) ? answer.errors.filter(isProblem) : [],
    }
    if (typeof answer.field === 'string') refusal.field = answer.field
    if (typeof answer.revision === 'number') refusal.revision = answer.revision
    if (typeof answer.version === 'number') refusal.version = answer.version
    return refusal
  } catch (error) {
    return { ok: false, status: 0, error: (error as Error).message, problems: [] }
  }
}

function isProblem(value: unknown): value is FieldProblem {
  const problem = value as { field?: unknown; message?: unknown } | null
  return typeof problem?.field === 'string' && typeof problem.message === 'string'
}

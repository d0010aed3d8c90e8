/**
 * Calls the HTTP API as one token's holder, for the access tests.
 */
export interface Answer<T = unknown> {
  status: number
  body: T
  headers: Headers
}

export type Caller = <T = unknown>(
  method: string,
  path: string,
  body?: unknown,
) => Promise<Answer<T>>

/** A caller of `base` with `token` (none: no Authorization header). Strings go as text. */
export function caller(base: string, token?: string, extra: Record<string, string> = {}): Caller {
  return async <T>(method: string, path: string, body?: unknown) => {
    const headers: Record<string, string> = { ...extra }
    if (token !== undefined) headers.authorization = `Bearer ${token}`
    if (body !== undefined)
      headers['content-type'] = typeof body === 'string' ? 'text/plain' : 'application/json'

    const response = await fetch(`${base}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    })
    const text = await response.text()
    let parsed: unknown = text
    try {
      parsed = JSON.parse(text)
    } catch {
      // Not JSON (a page of the wall, an empty 204): kept as text.
    }
    return { status: response.status, body: parsed as T, headers: response.headers }
  }
}

/** Makes a token through the admin API and returns its text. */
export async function makeToken(admin: Caller, spec: Record<string, unknown>): Promise<string> {
  const made = await admin<{ token: string }>('POST', '/api/v1/tokens', spec)
  if (made.status !== 201) throw new Error(`token not made: ${JSON.stringify(made.body)}`)
  return made.body.token
}

/**
 * One POST of queue_log lines to the ingest endpoint, for `tail.ts`. Failures come back
 * as values, since the caller decides between retrying and stopping.
 */
import { setTimeout as sleep } from 'node:timers/promises'

/** Posts wait this long for an answer before they count as failed and are retried. */
const REQUEST_TIMEOUT_MS = 30_000

export interface PostFailure {
  /** Absent when no answer came (refused, reset, timed out). */
  status?: number
  message: string
  /** 1-based line of the body the server objected to, when it says. */
  line?: number
}

/** Sends `lines` as text/plain, with the token if there is one; undefined on a 2xx. */
export async function postLines(
  url: string,
  lines: readonly string[],
  options: { token?: string; signal?: AbortSignal } = {},
): Promise<PostFailure | undefined> {
  const { token, signal } = options
  const timeout = AbortSignal.timeout(REQUEST_TIMEOUT_MS)
  const headers: Record<string, string> = { 'content-type': 'text/plain; charset=utf-8' }
  if (token !== undefined) headers.authorization = `Bearer ${token}`

  try {
    const response = await fetch(url, {
      method: 'POST',
      headers,
      body: lines.join('\n') + '\n',
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    })
    const text = await response.text()

    return response.ok ? undefined : { status: response.status, ...readError(text) }
  } catch (err) {
    // fetch says only "fetch failed"; the reason (ECONNREFUSED …) is in its cause.
    const code = (err as { cause?: { code?: string } }).cause?.code
    return { message: code ? `${(err as Error).message} (${code})` : String(err) }
  }
}

/** The server answers errors as JSON `{ error, line }`; anything else is shown clipped. */
function readError(text: string): Omit<PostFailure, 'status'> {
  try {
    const body = JSON.parse(text) as { error?: unknown; line?: unknown }
    if (typeof body.error === 'string') {
      return { message: body.error, line: typeof body.line === 'number' ? body.line : undefined }
    }
  } catch {
    // Not JSON: a proxy's HTML page or plain text, shown as it is.
  }
  return { message: text.slice(0, 500) }
}

/** Capped exponential backoff with jitter, so many tails do not retry in step. */
export function backoffMs(attempt: number, minMs: number, maxMs: number): number {
  const ceiling = Math.min(maxMs, minMs * 2 ** (attempt - 1))
  return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2)
}

/** Waits `ms`, or less when `signal` aborts; never throws for the abort. */
export async function pause(ms: number, signal?: AbortSignal): Promise<void> {
  await sleep(ms, undefined, { signal }).catch((err: unknown) => {
    if ((err as Error).name !== 'AbortError') throw err
  })
}

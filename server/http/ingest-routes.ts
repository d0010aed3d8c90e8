/**
 * Ingest endpoints. A request is parsed and validated whole before anything is written;
 * then every event goes into the Redis stream in one atomic step, before the answer.
 */
import { Hono, type Context } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import type { CanonicalEvent } from '../../shared/events.ts'
import { parseAsteriskBody } from '../adapters/asterisk-body.ts'
import { parseCanonicalJson } from '../adapters/canonical-json.ts'
import { principalOf } from '../auth/access.ts'
import type { RateLimiter } from '../auth/rate-limit.ts'
import { InputError } from '../errors.ts'
import type { EventStore } from '../store/event-store.ts'

export interface IngestDeps {
  store: EventStore
  maxBodyBytes: number
  /** Requests per token; none: no limit. */
  limiter?: RateLimiter | null
}

type Parser = (text: string, contentType?: string) => CanonicalEvent[]

export function ingestRoutes(deps: IngestDeps): Hono {
  const app = new Hono()
  const limit = bodyLimit({
    maxSize: deps.maxBodyBytes,
    onError: (c) => {
      // The rest of the body stays unread; the connection cannot carry another request.
      c.header('Connection', 'close')
      return c.json(
        { error: `body larger than ${deps.maxBodyBytes} bytes; send it in batches` },
        413,
      )
    },
  })

  // Before the body is read: a sender over its rate costs us no parsing.
  const rate = async (c: Context, next: () => Promise<void>) => {
    const take = await deps.limiter?.take(principalOf(c).id)
    if (take === undefined || take.allowed) return next()

    c.header('Retry-After', String(take.retryAfterSeconds))
    const error = 'too many requests for this token; nothing was stored, retry later'
    return c.json({ error }, 429)
  }

  const ingest = (parse: Parser) => async (c: Context) => {
    const text = decodeUtf8(new Uint8Array(await c.req.arrayBuffer()))
    if (text.trim() === '') throw new InputError('empty body: send queue_log lines or events')

    const events = parse(text, c.req.header('content-type'))
    const result = await deps.store.append(events)

    return c.json({
      accepted: result.accepted,
      duplicates: result.duplicates,
      lastId: result.lastId,
    })
  }

  app.post('/events/asterisk', rate, limit, ingest(parseAsteriskBody))
  app.post('/events', rate, limit, ingest(parseCanonicalJson))
  return app
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true })

/** Decodes the body, refusing bytes that are not UTF-8 rather than storing U+FFFD. */
function decodeUtf8(bytes: Uint8Array): string {
  try {
    return strictUtf8.decode(bytes)
  } catch {
    const lenient = new TextDecoder('utf-8').decode(bytes)
    const line = lenient.slice(0, lenient.indexOf('\uFFFD')).split('\n').length
    throw new InputError('bytes that are not UTF-8; send the file as UTF-8', line)
  }
}

/**
 * Ingest endpoints. A request is parsed and validated whole before anything is written;
 * then every event goes into the Redis stream in one atomic step, before the answer.
 */
import { Hono, type Context } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import type { CanonicalEvent } from '../../shared/events.ts'
import { parseAsteriskBody } from '../adapters/asterisk-body.ts'
import { parseCanonicalJson } from '../adapters/canonical-json.ts'
import type { EventStore } from '../store/event-store.ts'

export interface IngestDeps {
  store: EventStore
  maxBodyBytes: number
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

  const ingest = (parse: Parser) => async (c: Context) => {
    const text = await c.req.text()
    const events = parse(text, c.req.header('content-type'))
    const result = await deps.store.append(events)

    return c.json({
      accepted: result.accepted,
      duplicates: result.duplicates,
      lastId: result.lastId,
    })
  }

  app.post('/events/asterisk', limit, ingest(parseAsteriskBody))
  app.post('/events', limit, ingest(parseCanonicalJson))
  return app
}

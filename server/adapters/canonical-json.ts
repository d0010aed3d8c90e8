/**
 * Reads canonical events sent as JSON by an integration: one JSON array of events, or
 * NDJSON with one event a line. Every event is checked before any is returned.
 */
import type { CanonicalEvent } from '../../shared/events.ts'
import { InputError } from '../errors.ts'
import { jsonErrorLine } from './json-error-line.ts'
import { validateEvent, type EventPlace } from './validate-event.ts'

const NDJSON_TYPES = ['application/x-ndjson', 'application/ndjson', 'application/jsonl']

/** A parsed value and where errors about it should point. */
interface Item {
  place: EventPlace
  value: unknown
}

/**
 * Parses a JSON array (errors name the event by its place in the array) or NDJSON (errors
 * name the body line; blank lines are skipped). An NDJSON content type reads the body as
 * NDJSON even when it starts with `[`. Throws an InputError for an empty body, bad JSON or
 * a bad event.
 */
export function parseCanonicalJson(text: string, contentType?: string): CanonicalEvent[] {
  const body = text.replace(/^\uFEFF/, '')
  if (body.trim() === '') throw new InputError('empty body')

  const items = isArrayBody(body, contentType) ? readArray(body) : readNdjson(body)
  return items.map(({ place, value }) => validateEvent(value, place))
}

function isArrayBody(body: string, contentType: string | undefined): boolean {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? ''
  if (NDJSON_TYPES.includes(type)) return false

  return body.trimStart().startsWith('[')
}

function readArray(body: string): Item[] {
  let parsed: unknown
  try {
    parsed = JSON.parse(body)
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error
    throw new InputError(`not valid JSON: ${error.message}`, jsonErrorLine(body, error))
  }

  // Only a body starting with `[` gets here, and JSON.parse accepted it whole.
  const events = parsed as unknown[]
  return events.map((value, index) => ({ place: { event: index + 1 }, value }))
}

function readNdjson(body: string): Item[] {
  const items: Item[] = []

  body.split('\n').forEach((text, index) => {
    if (text.trim() === '') return

    try {
      items.push({ place: { line: index + 1 }, value: JSON.parse(text) })
    } catch (error) {
      if (!(error instanceof SyntaxError)) throw error
      throw new InputError(`not valid JSON: ${error.message}`, index + 1)
    }
  })

  return items
}

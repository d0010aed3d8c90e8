import { describe, expect, it } from 'vitest'
import { parseCanonicalJson } from '../../../server/adapters/canonical-json.ts'
import { InputError } from '../../../server/errors.ts'

const ENTER = { type: 'call.enter', ts: 1710118860000, queue: 'sales', callId: 'c1' }
const ANSWER = { ...ENTER, type: 'call.answer', agent: 'PJSIP/1001', waitMs: 5000 }
const END = { ...ENTER, type: 'call.end', agent: 'PJSIP/1001', talkMs: 60_000 }

function errorOf(text: string, contentType?: string): InputError {
  try {
    parseCanonicalJson(text, contentType)
  } catch (error) {
    if (error instanceof InputError) return error
    throw error
  }

  throw new Error('expected an InputError, nothing was thrown')
}

const ndjson = (...values: unknown[]) => values.map((value) => JSON.stringify(value)).join('\n')

describe('parseCanonicalJson', () => {
  it('reads a JSON array of events and fills in defaults', () => {
    const events = parseCanonicalJson(JSON.stringify([ENTER, ANSWER, END]))

    expect(events).toHaveLength(3)
    expect(events[2]).toStrictEqual({ ...END, holdMs: 0, wrapMs: 0, reason: 'other' })
  })

  it('reads NDJSON, skipping blank lines and accepting CRLF', () => {
    const body = `\n${JSON.stringify(ENTER)}\r\n\r\n${JSON.stringify(ANSWER)}\n`

    expect(parseCanonicalJson(body, 'application/x-ndjson')).toStrictEqual([ENTER, ANSWER])
    expect(parseCanonicalJson(body)).toStrictEqual([ENTER, ANSWER])
  })

  it('reads one object on its own as a one-line NDJSON body', () => {
    expect(parseCanonicalJson(JSON.stringify(ENTER), 'application/json')).toStrictEqual([ENTER])
  })

  it('returns nothing for an empty array, but refuses an empty body', () => {
    expect(parseCanonicalJson('[]')).toStrictEqual([])
    expect(errorOf(' \n ')).toMatchObject({ message: 'empty body', line: undefined })
  })

  it('names the NDJSON line and the field of a bad event, with what zod expected and got', () => {
    const error = errorOf(ndjson(ENTER, ANSWER, { ...ANSWER, waitMs: '5s' }))

    expect(error).toMatchObject({ line: 3, field: 'waitMs' })
    expect(error.message).toBe('expected a number, got "5s"')
  })

  it('names a bad event of a JSON array by its place in the array, not a line', () => {
    const error = errorOf(JSON.stringify([ENTER, { ...END, talkMs: -1 }]))

    expect(error).toMatchObject({ line: undefined, event: 2, field: 'talkMs' })
    expect(error.detail).toBe('event 2, field talkMs: expected at least 0, got -1')
    // Written over many lines, the second event is still the second, on whatever line.
    const pretty = errorOf(JSON.stringify([ENTER, { ...END, talkMs: -1 }], null, 2))
    expect(pretty).toMatchObject({ line: undefined, event: 2, field: 'talkMs' })
  })

  it('names an unknown type and lists the known ones', () => {
    const error = errorOf(ndjson({ ...ENTER, type: 'call.ring' }))

    expect(error).toMatchObject({ line: 1, field: 'type' })
    const types = '"call.enter", "call.answer", "call.abandon", "call.exit", "call.end"'
    expect(error.message).toBe(`expected type ${types}, "agent.state" or "other", got "call.ring"`)
  })

  it('names a nested path such as data.1', () => {
    const error = errorOf(ndjson({ type: 'other', ts: 1796060000000, name: 'X', data: ['a', 2] }))

    expect(error).toMatchObject({ line: 1, field: 'data.1' })
  })

  it('refuses a time given in seconds instead of milliseconds, naming ts', () => {
    const error = errorOf(ndjson({ ...ENTER, ts: 1796060000 }))
    expect(error).toMatchObject({ line: 1, field: 'ts' })
    expect(error.message).toContain('after 2000-01-01')
  })

  it('refuses an unknown field, so a misspelt one is not silently dropped', () => {
    expect(errorOf(ndjson({ ...ENTER, waitMS: 5 }))).toMatchObject({ line: 1 })
    expect(errorOf(ndjson({ ...ENTER, waitMS: 5 }))).toMatchObject({
      field: 'waitMS',
      message: 'unknown field; expected only id, ts, queue, callId, type, callerId',
    })
  })

  it('refuses control characters in a queue name', () => {
    const error = errorOf(ndjson({ ...ENTER, queue: 'Q\u001b[31mRED' }))
    expect(error).toMatchObject({ line: 1, field: 'queue' })
  })

  it('refuses __proto__ as a queue name, which no JSON object of figures could key', () => {
    const error = errorOf(ndjson(ENTER, { ...ENTER, callId: 'c2', queue: '__proto__' }))
    expect(error).toMatchObject({ line: 2, field: 'queue' })
    expect(error.message).toContain('__proto__ is reserved')
    // Only the exact name: one that merely contains it is a queue like any other.
    expect(parseCanonicalJson(ndjson({ ...ENTER, queue: 'x__proto__' }))).toHaveLength(1)
  })

  it('refuses an element that is not an object, with no field', () => {
    expect(errorOf('[1]')).toMatchObject({ event: 1, field: undefined })
  })

  it('names the line of malformed NDJSON', () => {
    const error = errorOf(`${JSON.stringify(ENTER)}\n\n{"type": "call.enter",`)

    expect(error.line).toBe(3)
    expect(error.message).toMatch(/^not valid JSON: /)
  })

  it('names the body line of malformed JSON in an array', () => {
    const lines = ['[', `${JSON.stringify(ENTER)},`, '{"type": "call.enter", "ts": }', ']']
    const error = errorOf(lines.join('\n'))

    expect(error.line).toBe(3)
    expect(error.message).toMatch(/^not valid JSON: /)
  })

  it('names the last line of an array that stops early', () => {
    expect(errorOf(`[\n${JSON.stringify(ENTER)},\n${JSON.stringify(ANSWER)}`).line).toBe(3)
  })

  it('takes the body whole or not at all', () => {
    let result: unknown

    expect(() => {
      result = parseCanonicalJson(ndjson(ENTER, { ...ANSWER, agent: '' }, END))
    }).toThrow(InputError)
    expect(result).toBeUndefined()
  })
})

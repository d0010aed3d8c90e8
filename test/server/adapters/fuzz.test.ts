import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { CanonicalEventSchema, type CanonicalEvent } from '../../../shared/events.ts'
import { parseAsteriskBody } from '../../../server/adapters/asterisk-body.ts'
import { parseCanonicalJson } from '../../../server/adapters/canonical-json.ts'
import { parseQueueLogCsv } from '../../../server/adapters/queue-log-csv.ts'
import { parseQueueLog } from '../../../server/adapters/queue-log.ts'
import { InputError } from '../../../server/errors.ts'
import {
  bodyOf,
  CSV_HEADER,
  CSV_ROWS,
  damagedEvent,
  damagedLine,
  QUEUE_LOG_LINES,
} from '../../helpers/mutations.ts'

// Issue 6: the parsers take anything a sender may post — random text, real lines damaged —
// and either return valid events or refuse with an InputError naming a line. Nothing else
// escapes, and no input takes long.

/**
 * Slowest any one body may take. The bodies are a few kilobytes and parse in about 5 ms;
 * a runaway pattern would take seconds, while a busy CI machine's pauses stay well under.
 */
const MAX_MS = 1000

interface Tally {
  runs: number
  accepted: number
  refused: number
  slowestMs: number
}

/** Runs a parser on one body; fails on any error but an InputError, or on a slow parse. */
function judge(tally: Tally, parse: () => CanonicalEvent[]): void {
  const started = performance.now()
  let events: CanonicalEvent[] | null = null
  try {
    events = parse()
  } catch (error) {
    if (!(error instanceof InputError)) throw error
    expect(error.detail.length).toBeGreaterThan(0)
  }
  const ms = performance.now() - started

  tally.runs += 1
  tally.slowestMs = Math.max(tally.slowestMs, ms)
  expect(ms).toBeLessThan(MAX_MS)
  if (events === null) {
    tally.refused += 1
    return
  }
  tally.accepted += 1
  for (const event of events) expect(CanonicalEventSchema.safeParse(event).success).toBe(true)
}

function report(name: string, tally: Tally): void {
  console.log(
    `fuzz ${name}: ${tally.runs} bodies, ${tally.accepted} parsed, ${tally.refused} refused ` +
      `with InputError, slowest ${tally.slowestMs.toFixed(1)} ms`,
  )
}

const fresh = (): Tally => ({ runs: 0, accepted: 0, refused: 0, slowestMs: 0 })

describe('the parsers under fuzzing', () => {
  it('take random text as queue_log, CSV or JSON without crashing', () => {
    const tally = fresh()
    const text = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 300 }),
      fc.string({ unit: 'binary', maxLength: 300 }),
      fc.array(fc.string({ maxLength: 40 }), { maxLength: 20 }).map((l) => l.join('|')),
      fc.jsonValue().map((value) => JSON.stringify(value)),
    )

    fc.assert(
      fc.property(text, (body) => {
        judge(tally, () => parseAsteriskBody(body))
        judge(tally, () => parseQueueLogCsv(body))
        judge(tally, () => parseCanonicalJson(body))
        judge(tally, () => parseCanonicalJson(body, 'application/x-ndjson'))
      }),
      { numRuns: 400 },
    )
    report('random text', tally)
  })

  it('take damaged queue_log lines: events or an InputError naming the line', () => {
    const tally = fresh()
    const body = bodyOf(damagedLine(QUEUE_LOG_LINES, '|'), QUEUE_LOG_LINES)

    fc.assert(
      fc.property(body, (text) => {
        judge(tally, () => parseQueueLog(text))
      }),
      { numRuns: 600 },
    )
    report('queue_log', tally)
    expect(tally.refused).toBeGreaterThan(0)
    expect(tally.accepted).toBeGreaterThan(0)
  })

  it('take damaged CSV export rows, and damaged headers', () => {
    const tally = fresh()
    const rows = bodyOf(damagedLine(CSV_ROWS, ','), CSV_ROWS, CSV_HEADER)
    const header = fc
      .tuple(damagedLine([CSV_HEADER], ','), fc.constantFrom(...CSV_ROWS))
      .map(([head, row]) => `${head}\n${row}`)

    fc.assert(
      fc.property(fc.oneof(rows, header), (text) => {
        judge(tally, () => parseQueueLogCsv(text))
        judge(tally, () => parseAsteriskBody(text, 'text/csv'))
      }),
      { numRuns: 400 },
    )
    report('CSV', tally)
    expect(tally.accepted).toBeGreaterThan(0)
  })

  it('take damaged canonical events as a JSON array and as NDJSON', () => {
    const tally = fresh()
    const real = parseQueueLog(QUEUE_LOG_LINES.join('\n')).map((event) => ({ ...event }))
    const events = fc.array(fc.oneof(damagedEvent(real), fc.constantFrom(...real)), {
      minLength: 1,
      maxLength: 20,
    })
    const cut = fc.tuple(events, fc.nat()).map(([list, at]) => {
      const text = JSON.stringify(list)
      return text.slice(0, at % (text.length + 1))
    })

    fc.assert(
      fc.property(events, cut, (list, damagedText) => {
        judge(tally, () => parseCanonicalJson(JSON.stringify(list)))
        const ndjson = list.map((event) => JSON.stringify(event)).join('\n')
        judge(tally, () => parseCanonicalJson(ndjson, 'application/x-ndjson'))
        judge(tally, () => parseCanonicalJson(damagedText))
      }),
      { numRuns: 400 },
    )
    report('canonical JSON', tally)
    expect(tally.refused).toBeGreaterThan(0)
    expect(tally.accepted).toBeGreaterThan(0)
  })

  it('parse one very long line and deeply nested JSON quickly', () => {
    const tally = fresh()
    const long = `1710118800|x|${'q'.repeat(200_000)}|NONE|ENTERQUEUE||1|1`
    const deep = '['.repeat(50_000) + ']'.repeat(50_000)

    judge(tally, () => parseQueueLog(long))
    judge(tally, () => parseAsteriskBody('date_time,event\n' + ','.repeat(100_000)))
    judge(tally, () => parseCanonicalJson(deep))
    judge(tally, () => parseCanonicalJson(`{"type":"other","data":${deep}}`, 'application/json'))
    report('large inputs', tally)
  })
})

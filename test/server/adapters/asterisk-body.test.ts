import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parseAsteriskBody } from '../../../server/adapters/asterisk-body.ts'
import { parseQueueLogCsv } from '../../../server/adapters/queue-log-csv.ts'
import { parseQueueLog } from '../../../server/adapters/queue-log.ts'
import { InputError } from '../../../server/errors.ts'

const fixture = (name: string) =>
  readFileSync(new URL(`../../fixtures/${name}`, import.meta.url), 'utf8')

const EXPORT = fixture('pbxware-queue-log.csv')
const QUEUE_LOG = fixture('queue-log-sample.txt')

describe('parseAsteriskBody', () => {
  it('reads a body starting with the export header as CSV, whatever its content type', () => {
    expect(parseAsteriskBody(EXPORT)).toStrictEqual(parseQueueLogCsv(EXPORT))
    expect(parseAsteriskBody(EXPORT, 'text/plain')).toHaveLength(1000)
  })

  it('finds the header after blank lines and a byte-order mark', () => {
    expect(parseAsteriskBody(`\uFEFF\r\n\n${EXPORT}`)).toHaveLength(1000)
  })

  it('finds a quoted header', () => {
    const quoted = EXPORT.replace('date_time,', '"date_time",').replace(',event,', ',"event",')

    expect(parseAsteriskBody(quoted)).toHaveLength(1000)
  })

  it('reads anything else as queue_log text', () => {
    expect(parseAsteriskBody(QUEUE_LOG)).toStrictEqual(parseQueueLog(QUEUE_LOG))
    expect(parseAsteriskBody(QUEUE_LOG, 'text/plain; charset=utf-8')).toHaveLength(37)
  })

  it('reads queue_log text whose first line holds quotes and commas', () => {
    const body = '1710118860|1.1|q|NONE|ENTERQUEUE||"Wang, "Wei <555>|1'

    expect(parseAsteriskBody(body)).toMatchObject([{ type: 'call.enter', queue: 'q' }])
  })

  it('reads a text/csv body as CSV, so a queue_log sent as CSV fails on its header', () => {
    let error: unknown
    try {
      parseAsteriskBody(QUEUE_LOG, 'Text/CSV; charset=utf-8')
    } catch (caught) {
      error = caught
    }

    expect(error).toBeInstanceOf(InputError)
    expect(error).toMatchObject({ line: 1, field: 'date_time' })
  })

  it('returns no events for an empty body', () => {
    expect(parseAsteriskBody('')).toStrictEqual([])
  })
})

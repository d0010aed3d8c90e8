/**
 * `callboard report FILE`: the daily interval report of a queue_log, CSV export or
 * canonical JSON file, computed by the same engine as the live wall.
 */
import { readFile } from 'node:fs/promises'
import { parseArgs } from 'node:util'
import { IANAZone } from 'luxon'
import type { CanonicalEvent } from '../../shared/events.ts'
import { parseCanonicalJson } from '../adapters/canonical-json.ts'
import { parseQueueLogCsv } from '../adapters/queue-log-csv.ts'
import { parseQueueLog } from '../adapters/queue-log.ts'
import { parseAsteriskBody } from '../adapters/asterisk-body.ts'
import { buildReport } from '../engine/report.ts'
import { InputError } from '../errors.ts'
import { formatReport } from './report-format.ts'

const PARSERS: Record<string, (text: string) => CanonicalEvent[]> = {
  asterisk: parseQueueLog,
  csv: parseQueueLogCsv,
  json: parseCanonicalJson,
  auto: parseAsteriskBody,
}

export async function runReportCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      format: { type: 'string', default: 'auto' },
      tz: { type: 'string', default: Intl.DateTimeFormat().resolvedOptions().timeZone },
      threshold: { type: 'string', default: '20' },
      target: { type: 'string', default: '80' },
      interval: { type: 'string', default: '30' },
      'day-start': { type: 'string', default: '00:00' },
      json: { type: 'boolean', default: false },
    },
  })

  const [file, ...extra] = positionals
  if (file === undefined) {
    throw new Error('report needs a FILE: callboard report queue_log --tz Asia/Shanghai')
  }
  if (extra.length > 0) throw new Error(`report takes one FILE, got also "${extra.join(' ')}"`)

  const parse = PARSERS[values.format]
  if (parse === undefined) {
    throw new Error(`--format must be asterisk, csv or json, got "${values.format}"`)
  }
  if (!IANAZone.isValidZone(values.tz)) {
    throw new Error(`--tz must be an IANA zone such as Asia/Shanghai, got "${values.tz}"`)
  }

  const threshold = wholeNumber('--threshold', values.threshold, 1, 3600)
  const target = Number(values.target)
  if (!/^\d+(\.\d+)?$/.test(values.target) || target <= 0 || target > 100) {
    throw new Error(`--target must be a percentage above 0 and up to 100, got "${values.target}"`)
  }
  if (values.interval !== '15' && values.interval !== '30') {
    throw new Error(`--interval must be 15 or 30, got "${values.interval}"`)
  }
  const interval = values.interval === '15' ? 15 : 30

  const dayStart = /^([01]\d|2[0-3]):(00|15|30|45)$/.exec(values['day-start'])
  if (dayStart === null) {
    throw new Error(`--day-start must be HH:MM on a quarter hour, got "${values['day-start']}"`)
  }

  const text = await readFile(file, 'utf8')
  let events: CanonicalEvent[]
  try {
    events = parse(text)
  } catch (error) {
    if (error instanceof InputError) throw new Error(`${file}: ${error.detail}`)
    throw error
  }

  const report = buildReport(events, {
    time: {
      tz: values.tz,
      dayStartMinutes: Number(dayStart[1]) * 60 + Number(dayStart[2]),
      intervalMinutes: interval,
    },
    thresholdSeconds: threshold,
    target: target / 100,
    now: Date.now(),
  })
  process.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report))
  return 0
}

function wholeNumber(flag: string, value: string, min: number, max: number): number {
  const number = Number(value)
  if (!/^\d+$/.test(value) || number < min || number > max) {
    throw new Error(`${flag} must be a whole number from ${min} to ${max}, got "${value}"`)
  }
  return number
}

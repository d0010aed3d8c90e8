/**
 * Reads an uploaded schedule, JSON or CSV, into raw rows: `agent, activity, start, end` and
 * an optional `date`, each with the row (and CSV line) it came from. Nothing is checked here
 * but the shape; schedule-import.ts checks the values.
 */
import { CsvError, parse } from 'csv-parse/sync'
import { z } from 'zod'
import { inWords } from '../zod-words.ts'
import { UploadError, type UploadProblem } from './upload-error.ts'

export interface ScheduleRow {
  /** 1-based position among the data rows (a JSON array's index + 1). */
  row: number
  /** 1-based line of a CSV body, the header being line 1. */
  line?: number
  agent: string
  activity: string
  start: string
  end: string
  date?: string
}

const COLUMNS = ['agent', 'activity', 'start', 'end', 'date'] as const
const REQUIRED = ['agent', 'activity', 'start', 'end']

const text = z.string().trim().min(1, 'expected a value').max(200)
const RowSchema = z
  .object({ agent: text, activity: text, start: text, end: text, date: text.optional() })
  .strict()

/** A JSON array of row objects. */
export function readJsonRows(body: string): ScheduleRow[] {
  let parsed: unknown
  try {
    parsed = JSON.parse(body)
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error
    throw new UploadError([{ reason: `not valid JSON: ${error.message}` }])
  }
  if (!Array.isArray(parsed) || parsed.length === 0) {
    throw new UploadError([{ reason: 'expected a JSON array of schedule rows, got none' }])
  }

  return checkRows(parsed.map((value, index) => ({ row: index + 1, value })))
}

/** CSV with a header naming the columns agent, activity, start, end and optionally date. */
export function readCsvRows(body: string): ScheduleRow[] {
  const records: { row: number; line: number; value: Record<string, string> }[] = []

  try {
    parse(body, {
      columns: (header: string[]) => checkHeader(header),
      skip_empty_lines: true,
      trim: true,
      bom: true,
      on_record: (value: Record<string, string>, { lines }: { lines: number }) => {
        records.push({ row: records.length + 1, line: lines, value })
        return null
      },
    })
  } catch (error) {
    if (error instanceof UploadError) throw error
    if (!(error instanceof CsvError)) throw error
    const line = (error as CsvError & { lines?: number }).lines
    throw new UploadError([{ line, reason: `not valid CSV: ${error.message}` }])
  }
  if (records.length === 0) throw new UploadError([{ reason: 'no schedule rows' }])

  return checkRows(records.map(({ row, line, value }) => ({ row, line, value: dropEmpty(value) })))
}

function checkHeader(header: string[]): string[] {
  const names = header.map((name) => name.trim().toLowerCase())
  const unknown = names.find((name) => !(COLUMNS as readonly string[]).includes(name))
  const missing = REQUIRED.find((name) => !names.includes(name))
  const wrong = unknown ?? missing

  if (wrong !== undefined) {
    const reason =
      unknown !== undefined
        ? `unknown column "${unknown}"; expected ${COLUMNS.join(', ')}`
        : `missing column "${missing}"; expected ${REQUIRED.join(', ')} and optionally date`
    throw new UploadError([{ line: 1, field: wrong, reason }])
  }
  return names
}

function checkRows(items: { row: number; line?: number; value: unknown }[]): ScheduleRow[] {
  const rows: ScheduleRow[] = []
  const problems: UploadProblem[] = []

  for (const { row, line, value } of items) {
    const parsed = RowSchema.safeParse(value, { error: inWords })
    if (parsed.success) {
      rows.push({ row, line, ...parsed.data })
      continue
    }
    for (const issue of parsed.error.issues) {
      const field = issue.path.map(String).join('.') || undefined
      const keys = issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : undefined
      problems.push({ row, line, field: field ?? keys, reason: issue.message })
    }
  }
  if (problems.length > 0) throw new UploadError(problems)
  return rows
}

/** An empty CSV cell is an absent value, as a JSON row would leave it out. */
function dropEmpty(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== ''))
}

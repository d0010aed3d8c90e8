/**
 * Checks uploaded schedule rows and turns them into each agent's activities per site day,
 * in epoch ms. Times are read in the site's time zone. An upload replaces the schedule of
 * every (agent, day) it names; any bad row refuses the whole upload, with every problem
 * found listed by row and reason.
 *
 * Times: `YYYY-MM-DD HH:MM` (or with T, or seconds), or `HH:MM` with the row's `date`. An
 * `HH:MM` before the site's day start is on the next calendar date, and an `HH:MM` end at
 * or before its start is on the next date, so a shift may cross midnight. Without `date`,
 * a row belongs to the site day its start falls in.
 */
import { DateTime } from 'luxon'
import {
  dayLabel,
  dayStartOf,
  nextDayStart,
  MINUTE_MS,
  type TimeSettings,
} from '../../shared/windows.ts'
import type { ScheduledActivity } from './adherence.ts'
import type { ScheduleRow } from './schedule-rows.ts'
import { UploadError, type UploadProblem } from './upload-error.ts'

export interface ScheduleContext {
  time: TimeSettings
  /** Activity names the rules know. */
  activities: readonly string[]
  /** Maps a name in the upload to an agent id (aliases apply). */
  resolve(name: string): string
  isKnownAgent(id: string): boolean
}

/** Site day (YYYY-MM-DD) → agent id → activities in time order. */
export type ScheduleDays = Map<string, Map<string, ScheduledActivity[]>>

/** The activities already stored for an agent on a day, or undefined. */
export type StoredSchedule = (
  date: string,
  agent: string,
) => readonly ScheduledActivity[] | undefined

interface RowActivity extends ScheduledActivity {
  agent: string
  date: string
  row: ScheduleRow
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/
const CLOCK = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/
const DATE_TIME = /^(\d{4}-\d{2}-\d{2})[ T](\d{1,2}:\d{2}(?::\d{2})?)$/
const HOUR_MS = 60 * MINUTE_MS
/** The longest activity that can be meant; anything longer is a typo in a date. */
const MAX_ACTIVITY_MS = 24 * HOUR_MS
/** A night shift's rows may start this long after the end of the day they belong to. */
const MAX_START_AFTER_DAY_MS = 12 * HOUR_MS

/** Checks every row; throws a UploadError listing each problem when any is bad. */
export function buildSchedule(rows: readonly ScheduleRow[], context: ScheduleContext) {
  const problems: UploadProblem[] = []
  const activities: RowActivity[] = []

  for (const row of rows) {
    try {
      activities.push(readRow(row, context))
    } catch (error) {
      if (!(error instanceof RowProblem)) throw error
      problems.push({ row: row.row, line: row.line, field: error.field, reason: error.message })
    }
  }
  if (problems.length > 0) throw new UploadError(problems)

  const days: ScheduleDays = new Map()
  for (const activity of activities) {
    const agents = days.get(activity.date) ?? new Map<string, RowActivity[]>()
    days.set(activity.date, agents)
    agents.set(activity.agent, [...(agents.get(activity.agent) ?? []), activity])
  }
  return { days, activities }
}

/** The (day, agents) pairs next to the uploaded days whose stored activities could overlap. */
export function neighbourDays(days: ScheduleDays): Map<string, string[]> {
  const out = new Map<string, Set<string>>()

  for (const [date, agents] of days) {
    for (const near of [shiftDate(date, -1), shiftDate(date, 1)]) {
      const set = out.get(near) ?? new Set<string>()
      out.set(near, set)
      for (const agent of agents.keys()) if (!days.get(near)?.has(agent)) set.add(agent)
    }
  }
  return new Map([...out].map(([date, set]) => [date, [...set]]))
}

/**
 * Refuses activities of one agent that overlap: in the upload, or with what is stored for
 * the neighbouring days the upload does not replace.
 */
export function checkOverlaps(
  upload: { days: ScheduleDays; activities: readonly RowActivity[] },
  stored: StoredSchedule,
  tz: string,
): void {
  const byAgent = new Map<string, (ScheduledActivity & { row?: ScheduleRow; date: string })[]>()
  const add = (agent: string, item: ScheduledActivity & { row?: ScheduleRow; date: string }) =>
    byAgent.set(agent, [...(byAgent.get(agent) ?? []), item])

  for (const activity of upload.activities) add(activity.agent, activity)
  for (const [date, agents] of neighbourDays(upload.days)) {
    for (const agent of agents) {
      for (const activity of stored(date, agent) ?? []) add(agent, { ...activity, date })
    }
  }

  const problems: UploadProblem[] = []
  for (const items of byAgent.values()) {
    items.sort((a, b) => a.start - b.start || a.end - b.end)
    for (let index = 1; index < items.length; index++) {
      const before = items[index - 1] as (typeof items)[number]
      const after = items[index] as (typeof items)[number]
      if (after.start >= before.end) continue

      const blame = after.row ?? before.row
      const other = before.row === blame ? after : before
      problems.push({
        row: blame?.row,
        line: blame?.line,
        field: 'start',
        reason: overlap(other, tz),
      })
    }
  }
  if (problems.length > 0) throw new UploadError(problems)
}

function overlap(
  other: ScheduledActivity & { row?: ScheduleRow; date: string },
  tz: string,
): string {
  // In the site's clock, as the planner wrote it, not UTC.
  const from = DateTime.fromMillis(other.start, { zone: tz }).toFormat('yyyy-MM-dd HH:mm')
  const what = `${other.activity} from ${from}`
  return other.row !== undefined
    ? `overlaps row ${other.row.row} (${what})`
    : `overlaps ${what}, already scheduled for ${other.date}`
}

class RowProblem extends Error {
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message)
  }
}

function readRow(row: ScheduleRow, context: ScheduleContext): RowActivity {
  const agent = context.resolve(row.agent)
  if (!context.isKnownAgent(agent)) {
    const message =
      `unknown agent "${row.agent}": not in the roster (PUT /api/v1/roster) ` +
      'and not seen in the events'
    throw new RowProblem(message, 'agent')
  }
  if (!context.activities.includes(row.activity)) {
    const message = `unknown activity "${row.activity}"; expected ${context.activities.join(', ')}`
    throw new RowProblem(message, 'activity')
  }

  const time = context.time
  if (row.date !== undefined && !isDate(row.date)) {
    throw new RowProblem(`expected a date like 2024-12-03, got "${row.date}"`, 'date')
  }
  const start = readStart(row.start, row.date, time)
  const end = readEnd(row.end, start, time)

  if (end <= start) throw new RowProblem('expected an end after the start', 'end')
  if (end - start > MAX_ACTIVITY_MS) {
    throw new RowProblem('expected an activity of at most 24 hours', 'end')
  }

  const date = row.date ?? dayLabel(dayStartOf(start, time), time)
  const first = siteDayStart(date, time)
  if (start < first || start >= nextDayStart(first, time) + MAX_START_AFTER_DAY_MS) {
    throw new RowProblem(`the start is not on the site day ${date}`, 'start')
  }
  return { agent, date, activity: row.activity, start, end, row }
}

function readStart(value: string, date: string | undefined, time: TimeSettings): number {
  const full = DATE_TIME.exec(value)
  if (full !== null) return localMs(full[1] as string, full[2] as string, time, 'start')

  const clock = readClock(value, 'start')
  if (date === undefined) {
    throw new RowProblem(`a time without a date ("${value}") needs the row's date`, 'start')
  }
  // Before the site's day start, a clock time belongs to the day's second calendar date.
  const onDate = minuteOfDay(clock) < time.dayStartMinutes ? shiftDate(date, 1) : date
  return localMs(onDate, clock, time, 'start')
}

/** A full date and time, or `HH:MM`: the first such clock time after the start. */
function readEnd(value: string, start: number, time: TimeSettings): number {
  const full = DATE_TIME.exec(value)
  if (full !== null) return localMs(full[1] as string, full[2] as string, time, 'end')

  const clock = readClock(value, 'end')
  const startDate = DateTime.fromMillis(start, { zone: time.tz }).toISODate() ?? ''
  const sameDate = localMs(startDate, clock, time, 'end')
  return sameDate > start ? sameDate : localMs(shiftDate(startDate, 1), clock, time, 'end')
}

function readClock(value: string, field: string): string {
  if (CLOCK.test(value)) return value

  const message = `expected a local time like 2024-12-03 08:45 or 08:45, got "${value}"`
  throw new RowProblem(message, field)
}

function localMs(date: string, clock: string, time: TimeSettings, field: string): number {
  const [year, month, day] = (DATE.exec(date) ?? []).slice(1).map(Number)
  const [hour, minute, second = 0] = (CLOCK.exec(clock) ?? []).slice(1).map((v) => Number(v ?? 0))
  const local = DateTime.fromObject({ year, month, day, hour, minute, second }, { zone: time.tz })

  if (!local.isValid || hour === undefined || hour > 23 || (minute ?? 60) > 59 || second > 59) {
    throw new RowProblem(`"${date} ${clock}" is not a valid date and time`, field)
  }
  // Luxon moves a time in a spring-forward gap to after it; such a time never happens.
  if (local.hour !== hour || local.minute !== minute) {
    throw new RowProblem(`${date} ${clock} does not exist in ${time.tz} (clocks go forward)`, field)
  }
  return local.toMillis()
}

function isDate(value: string): boolean {
  return DATE.test(value) && DateTime.fromISO(value).isValid
}

/** When the site day of the calendar date `date` starts, in epoch ms. */
function siteDayStart(date: string, time: TimeSettings): number {
  const midnight = DateTime.fromISO(date, { zone: time.tz }).startOf('day')
  return midnight.plus({ minutes: time.dayStartMinutes }).toMillis()
}

function minuteOfDay(clock: string): number {
  const [hour = 0, minute = 0] = clock.split(':').map(Number)
  return hour * 60 + minute
}

/** The calendar date `days` after `date` (YYYY-MM-DD). */
export function shiftDate(date: string, days: number): string {
  return DateTime.fromISO(date, { zone: 'UTC' }).plus({ days }).toISODate() ?? date
}

import { describe, expect, it } from 'vitest'
import type { AgentStateName } from '../../../shared/agent-figures.ts'
import { computeAdherence, type ScheduledActivity } from '../../../server/agents/adherence.ts'
import type { Segment } from '../../../server/agents/agent-ledger.ts'
import { DEFAULT_AGENT_RULES, type AgentRules } from '../../../server/agents/agent-rules.ts'

const at = (hms: string) => Date.parse(`2026-12-03T${hms.length === 5 ? `${hms}:00` : hms}Z`)
const MIN = 60_000

const seg = (hms: string, state: AgentStateName, reason: string | null = null): Segment => ({
  start: at(hms),
  state,
  reason,
})
const act = (activity: string, start: string, end: string): ScheduledActivity => ({
  activity,
  start: at(start),
  end: at(end),
})

function adherence(
  segments: Segment[],
  activities: ScheduledActivity[],
  to: string,
  rules: Partial<AgentRules> = {},
) {
  return computeAdherence({
    segments,
    activities,
    rules: { ...DEFAULT_AGENT_RULES, ...rules },
    from: at('00:00'),
    to: at(to),
  })
}

describe('adherence and conformance (kpi-reference.md §10.3)', () => {
  it('NICE: on 09:00–17:00, worked 09:30–17:30 → adherence 93.75 %, conformance 100 %', () => {
    // Out of adherence 09:00–09:30 (logged out while on_queue is scheduled): 30 of 480 min.
    // 17:00–17:30 is work outside the shift, ignored by default: 1 − 30/480 = 93.75 %.
    // Conformance: on-queue states 09:30–17:30 = 480 min of 480 scheduled = 100 %.
    const result = adherence(
      [seg('09:30', 'available'), seg('17:30', 'logged_out')],
      [act('on_queue', '09:00', '17:00')],
      '18:00',
    )

    expect(result).toMatchObject({
      scheduledMs: 480 * MIN,
      outMs: 30 * MIN,
      adherence: 0.9375,
      onQueueScheduledMs: 480 * MIN,
      onQueueWorkedMs: 480 * MIN,
      conformance: 1,
    })
  })

  it('Genesys: 10 min late, 10 over → 71.43 % counting work off shift, else 83.33 %', () => {
    // 60 min on_queue scheduled 09:00–10:00; the agent works 09:10–10:10.
    const segments = [seg('09:10', 'available'), seg('10:10', 'logged_out')]
    const activities = [act('on_queue', '09:00', '10:00')]

    // On: 1 − (10 + 10) / (60 + 10) = 1 − 20/70 = 71.43 %.
    const on = adherence(segments, activities, '12:00', { workingOutsideShiftIsException: true })
    expect(on).toMatchObject({ scheduledMs: 70 * MIN, outMs: 20 * MIN })
    expect(on.adherence).toBeCloseTo(0.7143, 4)

    // Off: 1 − 10/60 = 83.33 %. Conformance either way: 60 worked ÷ 60 scheduled = 100 %.
    const off = adherence(segments, activities, '12:00')
    expect(off).toMatchObject({ scheduledMs: 60 * MIN, outMs: 10 * MIN, conformance: 1 })
    expect(off.adherence).toBeCloseTo(0.8333, 4)
    expect(on.conformance).toBe(1)
  })

  it('ignores out-of-adherence stretches shorter than the exception threshold (60 s)', () => {
    const activities = [act('on_queue', '09:00', '10:00')]
    const away = (seconds: number) => [
      seg('09:00', 'available'),
      seg('09:30', 'not_ready', 'toilet'),
      { start: at('09:30') + seconds * 1000, state: 'available' as const, reason: null },
    ]

    // 59 s not ready: ignored. 61 s: counted whole, 1 − 61/3600.
    expect(adherence(away(59), activities, '11:00').adherence).toBe(1)
    expect(adherence(away(61), activities, '11:00').outMs).toBe(61_000)
  })

  it('takes the states the activity allows: lunch in not ready (lunch) is in', () => {
    const activities = [act('on_queue', '09:00', '12:00'), act('lunch', '12:00', '13:00')]
    const base = [seg('09:00', 'available')]

    const lunch = adherence([...base, seg('12:00', 'not_ready', 'Lunch')], activities, '13:00')
    expect(lunch).toMatchObject({ adherence: 1, outMs: 0 })

    const wrong = adherence([...base, seg('12:00', 'not_ready', 'break')], activities, '13:00')
    // 60 of 240 scheduled minutes out: 75 %.
    expect(wrong).toMatchObject({ outMs: 60 * MIN, adherence: 0.75, status: 'out' })
  })

  it('allows a late login and a late return within an activity tolerance', () => {
    const rules = {
      activities: {
        ...DEFAULT_AGENT_RULES.activities,
        on_queue: { ...DEFAULT_AGENT_RULES.activities.on_queue!, toleranceSeconds: 120 },
        break: { allowed: ['not_ready:break'], onQueue: false, toleranceSeconds: 120 },
      },
    }
    const activities = [
      act('on_queue', '09:00', '10:00'),
      act('break', '10:00', '10:15'),
      act('on_queue', '10:15', '11:00'),
    ]
    // Logs in 90 s late, back from break 90 s late: both within 2 min.
    const segments = [
      seg('09:01:30', 'available'),
      seg('10:00', 'not_ready', 'break'),
      seg('10:16:30', 'available'),
    ]

    expect(adherence(segments, activities, '11:00', rules).adherence).toBe(1)
    // Without tolerance each 90 s counts: 1 − 180/7200 = 97.5 %.
    expect(adherence(segments, activities, '11:00').adherence).toBeCloseTo(0.975, 12)
  })

  it('says in or out now, since when, and for which activity', () => {
    const activities = [act('on_queue', '09:00', '17:00')]
    const segments = [seg('09:00', 'available'), seg('10:00', 'not_ready', 'break')]

    expect(adherence(segments, activities, '10:07')).toMatchObject({
      activity: 'on_queue',
      status: 'out',
      since: at('10:00'),
    })
    expect(adherence(segments, [], '10:07')).toMatchObject({
      activity: null,
      status: 'unscheduled',
      adherence: null,
      conformance: null,
    })
  })
})

import { describe, expect, it } from 'vitest'
import {
  dayStartOf,
  describeWindow,
  intervalStartOf,
  nextDayStart,
  windowRange,
} from '../../shared/windows.ts'

const shanghai = { tz: 'Asia/Shanghai', dayStartMinutes: 0, intervalMinutes: 30 as const }

describe('windows', () => {
  it('starts a Shanghai day at 16:00 UTC the evening before', () => {
    // 2026-12-03 01:30 in Shanghai (UTC+8) is 2026-12-02 17:30 UTC.
    const now = Date.parse('2026-12-02T17:30:00Z')
    expect(dayStartOf(now, shanghai)).toBe(Date.parse('2026-12-02T16:00:00Z'))
  })

  it('starts a day with a 04:00 day start on the previous date before 04:00', () => {
    const site = { ...shanghai, dayStartMinutes: 4 * 60 }
    // 03:59 on 3 December in Shanghai still belongs to the day that began 04:00 on 2 December.
    const now = Date.parse('2026-12-02T19:59:00Z')
    expect(dayStartOf(now, site)).toBe(Date.parse('2026-12-01T20:00:00Z'))
    expect(describeWindow('today', dayStartOf(now, site), site)).toBe('since 04:00 Asia/Shanghai')
  })

  it('gives DST days in New York 23 and 25 hours', () => {
    const ny = { tz: 'America/New_York', dayStartMinutes: 0, intervalMinutes: 30 as const }
    const spring = dayStartOf(Date.parse('2026-03-08T12:00:00Z'), ny)
    const autumn = dayStartOf(Date.parse('2026-11-01T12:00:00Z'), ny)

    expect((nextDayStart(spring, ny) - spring) / 3_600_000).toBe(23)
    expect((nextDayStart(autumn, ny) - autumn) / 3_600_000).toBe(25)
  })

  it('aligns intervals to the local clock in a +05:45 zone', () => {
    const nepal = { tz: 'Asia/Kathmandu', dayStartMinutes: 0, intervalMinutes: 30 as const }
    // 10:50 in Kathmandu is 05:05 UTC; its interval began 10:30 local = 04:45 UTC.
    expect(intervalStartOf(Date.parse('2026-12-03T05:05:00Z'), nepal)).toBe(
      Date.parse('2026-12-03T04:45:00Z'),
    )
  })

  it('ends every window at now and starts rolling ones N minutes back', () => {
    const now = Date.parse('2026-12-03T10:10:30Z')
    expect(windowRange('15m', now, shanghai)).toEqual({ start: now - 15 * 60_000, end: now })
    expect(windowRange('interval', now, shanghai).start).toBe(Date.parse('2026-12-03T10:00:00Z'))
  })
})

import { describe, expect, it } from 'vitest'
import {
  formatAge,
  formatClock,
  formatCount,
  formatDuration,
  formatRate,
  formatSeconds,
  formatWholePercent,
  NO_VALUE,
  wholePercent,
} from '../../web/lib/format.ts'

describe('wholePercent', () => {
  it('rounds down so a figure just under target never reads as the target', () => {
    expect(wholePercent(0.796)).toBe(79)
    expect(wholePercent(0.8)).toBe(80)
  })

  it('is not thrown off by float noise', () => {
    expect(wholePercent(0.29)).toBe(29)
    expect(wholePercent(412 / 515)).toBe(80)
  })

  it('keeps no value as no value', () => {
    expect(wholePercent(null)).toBeNull()
    expect(wholePercent(undefined)).toBeNull()
    expect(wholePercent(Number.NaN)).toBeNull()
  })
})

describe('formatters', () => {
  it('show the dash for null, never 0', () => {
    for (const format of [formatWholePercent, formatRate, formatSeconds, formatDuration]) {
      expect(format(null)).toBe(NO_VALUE)
    }
    expect(formatCount(undefined)).toBe(NO_VALUE)
  })

  it('format percentages, seconds and counts', () => {
    expect(formatWholePercent(0.8273)).toBe('82\u202f%')
    expect(formatRate(0.0421)).toBe('4.2\u202f%')
    expect(formatSeconds(17.6)).toBe('18\u202fs')
    expect(formatCount(12045)).toBe('12,045')
  })

  it('format durations as m:ss, and h:mm:ss from an hour on', () => {
    expect(formatDuration(0)).toBe('0:00')
    expect(formatDuration(95.9)).toBe('1:35')
    expect(formatDuration(3725)).toBe('1:02:05')
  })

  it('format ages coarsely', () => {
    expect(formatAge(2400)).toBe('2\u202fs')
    expect(formatAge(185_000)).toBe('3\u202fmin')
    expect(formatAge(-50)).toBe('0\u202fs')
  })

  it('show the clock in the site zone and survive an unknown zone', () => {
    const instant = Date.parse('2026-12-03T16:05:09Z')

    expect(formatClock(instant, 'Asia/Shanghai')).toBe('00:05:09')
    expect(formatClock(instant, 'Not/AZone')).toMatch(/^\d\d:05:09$/)
  })
})

describe('time units in the screen language', () => {
  const zh = { unitSecond: '秒', unitMinute: '分钟', unitHour: '小时' }

  it('writes seconds and ages with the table’s words', () => {
    expect(formatSeconds(3.4, zh)).toBe('3\u202f秒')
    expect(formatAge(125_000, zh)).toBe('2\u202f分钟')
    expect(formatAge(4_000)).toBe('4\u202fs')
  })
})

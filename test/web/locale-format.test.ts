import { describe, expect, it } from 'vitest'
import { pickLang } from '../../web/lib/lang.ts'
import { formatDate, formatNumber, formatPercent, formatTime } from '../../web/lib/locale-format.ts'
import { NO_VALUE } from '../../web/lib/format.ts'
import { MANAGE_TEXTS } from '../../web/lib/manage-text.ts'
import { nextOrder, queueRows } from '../../web/lib/queue-rows.ts'
import { deriveFigures, emptyCounters } from '../../shared/figures.ts'
import type { Snapshot } from '../../shared/protocol.ts'

const instant = Date.parse('2026-12-03T16:05:09Z')

describe('pickLang', () => {
  it('takes ?lang first, then the browser language, then English', () => {
    expect(pickLang('?lang=zh', 'en-US')).toBe('zh')
    expect(pickLang('?lang=EN', 'zh-CN')).toBe('en')
    expect(pickLang('?lang=fr', 'zh-TW')).toBe('zh')
    expect(pickLang('', 'de-DE')).toBe('en')
    expect(pickLang('', undefined)).toBe('en')
  })

  it("puts the user's remembered pick between the address and the browser", () => {
    expect(pickLang('', 'en-GB', 'zh')).toBe('zh')
    expect(pickLang('?lang=en', 'zh-CN', 'zh')).toBe('en')
    expect(pickLang('', 'zh-CN', 'klingon')).toBe('zh')
  })
})

describe('locale formatting', () => {
  it('formats counts and measures in either locale', () => {
    expect(formatNumber(12045, 'en-GB')).toBe('12,045')
    expect(formatNumber(12045, 'zh-CN')).toBe('12,045')
    expect(formatNumber(18.333, 'zh-CN', 1)).toBe('18.3')
    expect(formatNumber(null, 'zh-CN')).toBe(NO_VALUE)
  })

  it('rounds percentages down, as the wall does, and keeps no value as the dash', () => {
    // 412 / 515 = 0.8 exactly, despite float noise; 0.796 reads 79, not 80.
    expect(formatPercent(412 / 515, 'en-GB')).toBe('80%')
    expect(formatPercent(0.796, 'zh-CN')).toBe('79%')
    expect(formatPercent(0.0429, 'en-GB', 1)).toBe('4.2%')
    expect(formatPercent(null, 'en-GB')).toBe(NO_VALUE)
  })

  it('gives times and dates in the site zone and the screen language', () => {
    expect(formatTime(instant, 'Asia/Shanghai', 'zh-CN')).toBe('00:05')
    expect(formatTime(instant, 'UTC', 'en-GB', true)).toBe('16:05:09')
    expect(formatDate(instant, 'Asia/Shanghai', 'zh-CN')).toBe('2026年12月4日星期五')
    expect(formatDate(instant, 'UTC', 'en-GB')).toBe('Thursday, 3 December 2026')
  })

  it('survives an unknown zone', () => {
    expect(formatTime(instant, 'Mars/Olympus', 'en-GB')).toMatch(/^\d\d:\d\d$/)
  })
})

describe('the managers’ words', () => {
  it('use the handbook terms in Chinese', () => {
    const zh = MANAGE_TEXTS.zh
    expect(zh.columns.serviceLevel).toBe('服务水平')
    expect(zh.columns.answerRate).toBe('接通率')
    expect(zh.columns.aht).toBe('平均处理时长')
    expect(zh.columns.abandonRate).toBe('放弃率')
    expect(zh.columns.waiting).toBe('排队数')
    expect(zh.columns.longestWait).toBe('最长等待')
    expect(zh.occupancy).toBe('座席占用率')
    expect(zh.adherence).toBe('排班遵守率')
  })
})

describe('the queue table order', () => {
  const figures = (offered: number, met: number) =>
    deriveFigures({ ...emptyCounters(), offered, answeredWithinThreshold: met, answered: met })
  const snapshot = {
    queues: { B: figures(10, 9), A: figures(0, 0), C: figures(10, 5) },
  } as unknown as Snapshot

  it('puts queues with no value last whichever the direction', () => {
    const up = queueRows(snapshot, { column: 'serviceLevel', direction: 'ascending' }, 'en')
    expect(up.map((row) => row.queue)).toEqual(['C', 'B', 'A'])
    const down = queueRows(snapshot, { column: 'serviceLevel', direction: 'descending' }, 'en')
    expect(down.map((row) => row.queue)).toEqual(['B', 'C', 'A'])
  })

  it('sorts a new column worst first and flips the sorted one', () => {
    const bySl = { column: 'serviceLevel', direction: 'ascending' } as const
    expect(nextOrder(bySl, 'serviceLevel').direction).toBe('descending')
    expect(nextOrder(bySl, 'abandonRate')).toEqual({
      column: 'abandonRate',
      direction: 'descending',
    })
  })
})

describe('formatPercent rounding', () => {
  it('rounds an abandon rate to the nearest tenth, as the wall does: 22/123 = 17.886 %', () => {
    expect(formatPercent(22 / 123, 'en', 1, 'nearest')).toBe('17.9%')
    expect(formatPercent(22 / 123, 'en', 1)).toBe('17.8%')
  })
})

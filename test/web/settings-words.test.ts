import { describe, expect, it } from 'vitest'
import type { Settings } from '../../shared/settings.ts'
import { SETTINGS_TEXTS } from '../../web/lib/settings-text.ts'
import { describeChange, formFields, refusalSummary } from '../../web/lib/settings-words.ts'

const { en, zh } = SETTINGS_TEXTS
const row = { thresholdSeconds: 20, targetPercent: 80, variant: 'V2', shortAbandonSeconds: 0 }
const settings = {
  site: { tz: 'Asia/Shanghai', dayStart: '04:00', intervalMinutes: 15 },
  defaults: row,
  queues: { 'v2.sales': row },
} as Settings

describe('the Settings panel’s words', () => {
  it('says a change in words, in either language, whatever the queue’s name holds', () => {
    const target = { field: 'defaults.targetPercent', before: 80, after: 85 }
    expect(describeChange(target, en)).toBe('Default · target: 80 % → 85 %')
    expect(describeChange(target, zh)).toBe('默认 · 目标: 80 % → 85 %')
    expect(
      describeChange({ field: 'queues.v2.sales.thresholdSeconds', before: 20, after: 30 }, en),
    ).toBe('v2.sales · T: 20 s → 30 s')
    expect(describeChange({ field: 'site.tz', before: 'UTC', after: 'Asia/Shanghai' }, en)).toBe(
      'Site · time zone: UTC → Asia/Shanghai',
    )
    expect(describeChange({ field: 'site.intervalMinutes', before: 15, after: 30 }, zh)).toBe(
      '站点 · 时段长度: 15 分钟 → 30 分钟',
    )
  })

  it('says a queue row added or removed as the whole row', () => {
    expect(describeChange({ field: 'queues.a.b', before: null, after: row }, en)).toBe(
      'a.b · own settings: — → T 20 s, target 80 %, V2, S 0 s',
    )
    expect(describeChange({ field: 'queues.Sales', before: row, after: null }, en)).toBe(
      'Sales · own settings: T 20 s, target 80 %, V2, S 0 s → —',
    )
  })

  it('counts the wrong fields the form shows, and says in full those it has none for', () => {
    const fields = formFields(settings)
    expect(fields.has('queues.v2.sales.shortAbandonSeconds')).toBe(true)
    expect(fields.has('site.intervalMinutes')).toBe(true)

    const two = [
      { field: 'defaults.thresholdSeconds', message: 'expected at least 1 s, got 0' },
      { field: 'site.tz', message: 'expected an IANA zone like Asia/Shanghai, got "Mars"' },
    ]
    expect(refusalSummary(two, fields, en)).toBe(
      'Not saved: 2 fields are wrong; each says why beside it.',
    )
    expect(refusalSummary(two.slice(1), fields, zh)).toBe('未保存：有 1 项填写有误，原因见各项旁。')
    const long = { field: 'queues', message: 'expected a queue name of at most 200 characters' }
    expect(refusalSummary([two[0]!, long], fields, en)).toBe(
      'Not saved: 1 field is wrong; it says why beside it. ' +
        'Not saved: queues: expected a queue name of at most 200 characters',
    )
  })
})

import { describe, expect, it } from 'vitest'
import type { Settings } from '../../../shared/settings.ts'
import { diffSettings } from '../../../server/settings/settings-diff.ts'

const ROW = {
  thresholdSeconds: 20,
  targetPercent: 80,
  variant: 'V2',
  shortAbandonSeconds: 0,
} as const

const BEFORE: Settings = {
  site: { tz: 'Asia/Shanghai', dayStart: '00:00', intervalMinutes: 30 },
  defaults: ROW,
  queues: { 报修热线: ROW, Sales: ROW },
}

describe('what a change of the settings changed, for the audit', () => {
  it('lists each changed field with before and after, and rows added or removed whole', () => {
    const after: Settings = {
      site: { ...BEFORE.site, dayStart: '04:00' },
      defaults: { ...ROW, variant: 'V5', shortAbandonSeconds: 5 },
      queues: { 报修热线: { ...ROW, targetPercent: 85 }, Support: ROW },
    }

    expect(diffSettings(BEFORE, after)).toEqual([
      { field: 'site.dayStart', before: '00:00', after: '04:00' },
      { field: 'defaults.variant', before: 'V2', after: 'V5' },
      { field: 'defaults.shortAbandonSeconds', before: 0, after: 5 },
      { field: 'queues.Sales', before: ROW, after: null },
      { field: 'queues.Support', before: null, after: ROW },
      { field: 'queues.报修热线.targetPercent', before: 80, after: 85 },
    ])
  })

  it('finds nothing when nothing changed', () => {
    expect(diffSettings(BEFORE, structuredClone(BEFORE))).toEqual([])
  })
})

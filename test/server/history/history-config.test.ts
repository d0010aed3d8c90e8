import { describe, expect, it } from 'vitest'
import { loadConfig } from '../../../server/config.ts'

describe('CALLBOARD_HISTORY_DAYS', () => {
  it('keeps 35 days unless told, and refuses what is not a number of days', () => {
    expect(loadConfig({}).historyDays).toBe(35)
    expect(loadConfig({ CALLBOARD_HISTORY_DAYS: '400' }).historyDays).toBe(400)

    for (const bad of ['0', '-3', '7.5', 'a month', '3661']) {
      expect(() => loadConfig({ CALLBOARD_HISTORY_DAYS: bad }), bad).toThrow(
        `CALLBOARD_HISTORY_DAYS=${JSON.stringify(bad)}`,
      )
    }
  })
})

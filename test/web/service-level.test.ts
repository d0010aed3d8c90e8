import { describe, expect, it } from 'vitest'
import { gradeServiceLevel } from '../../web/lib/service-level.ts'

describe('gradeServiceLevel', () => {
  it('meets the target at exactly the target', () => {
    expect(gradeServiceLevel(400 / 500, 0.8)).toBe('met')
    expect(gradeServiceLevel(0.93, 0.8)).toBe('met')
  })

  it('is a near miss less than 5 points below target', () => {
    expect(gradeServiceLevel(0.79, 0.8)).toBe('near')
    expect(gradeServiceLevel(0.7501, 0.8)).toBe('near')
  })

  it('is a miss 5 points or more below target', () => {
    expect(gradeServiceLevel(0.75, 0.8)).toBe('missed')
    expect(gradeServiceLevel(0.41, 0.8)).toBe('missed')
  })

  it('has no grade without a value', () => {
    expect(gradeServiceLevel(null, 0.8)).toBe('none')
  })
})

import { describe, expect, it } from 'vitest'
import { backoffDelay } from '../../web/lib/backoff.ts'

const middle = () => 0.5

describe('backoffDelay', () => {
  it('doubles from 500 ms and stops at 10 s', () => {
    const delays = [0, 1, 2, 3, 4, 5, 6, 40].map((attempt) =>
      backoffDelay(attempt, undefined, middle),
    )
    expect(delays).toEqual([500, 1000, 2000, 4000, 8000, 10_000, 10_000, 10_000])
  })

  it('spreads each delay by up to 30 % either way', () => {
    expect(backoffDelay(5, undefined, () => 0)).toBe(7000)
    expect(backoffDelay(5, undefined, () => 0.999_999)).toBe(13_000)
  })
})

/**
 * A small seeded random source for the demo simulator, so a seed always replays the same
 * day. mulberry32: 32 bits of state, good enough for traffic, not for anything secret.
 */

export interface Random {
  /** Uniform in [0, 1). */
  next(): number
  uniform(min: number, max: number): number
  /** Exponentially distributed with the given mean (the gap between Poisson arrivals). */
  exponential(mean: number): number
  chance(probability: number): boolean
  pick<T>(items: readonly T[]): T
}

export function createRandom(seed: number): Random {
  let state = seed >>> 0

  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }

  return {
    next,
    uniform: (min, max) => min + next() * (max - min),
    // 1 - next() lies in (0, 1], so the logarithm is finite.
    exponential: (mean) => -mean * Math.log(1 - next()),
    chance: (probability) => next() < probability,
    pick: (items) => {
      const item = items[Math.floor(next() * items.length)]
      if (item === undefined) throw new Error('pick() needs at least one item')
      return item
    },
  }
}

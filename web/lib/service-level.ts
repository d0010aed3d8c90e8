/**
 * Judges a service level against its target, the way the wall colours it.
 */

/** met: at or above target; near: below by less than NEAR_MISS; missed: further below. */
export type Grade = 'met' | 'near' | 'missed' | 'none'

/** How far (as a 0–1 fraction, i.e. 5 points) below target still counts as a near miss. */
export const NEAR_MISS = 0.05

// Tolerates float noise, so that 400 / 500 against a target of 0.8 is met.
const EPSILON = 1e-9

export function gradeServiceLevel(serviceLevel: number | null, target: number): Grade {
  if (serviceLevel === null || Number.isNaN(serviceLevel)) return 'none'
  if (serviceLevel >= target - EPSILON) return 'met'
  if (target - serviceLevel < NEAR_MISS - EPSILON) return 'near'
  return 'missed'
}

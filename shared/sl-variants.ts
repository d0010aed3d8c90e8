/**
 * The service-level formulas a queue may be judged by (kpi-reference.md §1.2), as a
 * numerator and a denominator of the additive counters, so that the wall can say how a
 * figure was computed ("412 / 498 within 20 s").
 */
import type { Counters } from './figures.ts'
import type { SlVariant } from './settings.ts'

export interface ServiceLevelParts {
  /** Calls that met the threshold, as the variant counts them. */
  met: number
  /** Calls the variant judges; zero means the service level has no value. */
  offered: number
}

/**
 * `offered` in the counters is SL-offered: calls whose SL event fell in the window
 * (answered, abandoned, left, or still waiting past T). Short abandons (wait ≤ S) are
 * counted only when the queue has S > 0, so with S off V5 and V6 equal V2.
 */
export function serviceLevelParts(c: Counters, variant: SlVariant): ServiceLevelParts {
  const within = c.answeredWithinThreshold

  switch (variant) {
    case 'V1':
      // Abandons within T are ignored: neither met nor offered (Cisco type 1, ICMI #4).
      return { met: within, offered: c.offered - c.abandonedWithinThreshold }
    case 'V3':
      // Abandons within T count as met (Cisco type 3, Amazon, ICMI #1).
      return { met: within + c.abandonedWithinThreshold, offered: c.offered }
    case 'V4':
      // Answered calls only (Cisco UCCX "only handled", ICMI #2).
      return { met: within, offered: c.answered }
    case 'V5':
      // Short abandons are no offer (Genesys with short abandons off, Talkdesk, Mitel).
      return { met: within, offered: c.offered - c.abandonedShort }
    case 'V6':
      // Short abandons count as met (ICMI #5).
      return { met: within + c.abandonedShort, offered: c.offered }
    default:
      // V2, the handbook's 服务水平: every abandon counts against (Cisco type 2, ICMI #3).
      return { met: within, offered: c.offered }
  }
}

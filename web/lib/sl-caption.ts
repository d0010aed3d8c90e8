/**
 * How a service level was computed, in words: the formula's own numerator and denominator
 * (kpi-reference.md §1.2), each number beside what it counts. "7 / 13 within 20 s" said
 * "answered" of calls that abandoned under V3; these name the abandons and the calls left
 * out. Shared by the queue table and the calls list, so the two say the same.
 */
import type { SlVariant } from '../../shared/settings.ts'
import type { Lang } from './lang.ts'

/** The two halves in reading order: English says the numerator first, Chinese the total. */
export type SlCaptionLines = readonly [string, string]

type Caption = (met: string, offered: string, seconds: number) => SlCaptionLines

const EN: Record<SlVariant, Caption> = {
  V1: (met, offered, t) => [
    `${met} answered within ${t} s`,
    `of ${offered} offered less abandoned within ${t} s`,
  ],
  V2: (met, offered, t) => [`${met} answered within ${t} s`, `of ${offered} offered`],
  V3: (met, offered, t) => [`${met} answered or abandoned within ${t} s`, `of ${offered} offered`],
  V4: (met, offered, t) => [`${met} answered within ${t} s`, `of ${offered} answered`],
  V5: (met, offered, t) => [
    `${met} answered within ${t} s`,
    `of ${offered} offered less short abandons`,
  ],
  V6: (met, offered, t) => [
    `${met} answered within ${t} s or short abandons`,
    `of ${offered} offered`,
  ],
}

// 呼入 offered, 接通 answered, 放弃 abandoned, 短放弃 short abandon, as the Settings panel says.
const ZH: Record<SlVariant, Caption> = {
  V1: (met, offered, t) => [`${offered} 通（呼入减 ${t} 秒内放弃）中`, `${met} 通 ${t} 秒内接通`],
  V2: (met, offered, t) => [`${offered} 通呼入中`, `${met} 通 ${t} 秒内接通`],
  V3: (met, offered, t) => [`${offered} 通呼入中`, `${met} 通 ${t} 秒内接通或放弃`],
  V4: (met, offered, t) => [`${offered} 通接通中`, `${met} 通 ${t} 秒内接通`],
  V5: (met, offered, t) => [`${offered} 通（呼入减短放弃）中`, `${met} 通 ${t} 秒内接通`],
  V6: (met, offered, t) => [`${offered} 通呼入中`, `${met} 通 ${t} 秒内接通或短放弃`],
}

export const SL_CAPTIONS: Record<Lang, Record<SlVariant, Caption>> = { en: EN, zh: ZH }

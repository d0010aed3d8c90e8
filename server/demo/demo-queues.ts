/**
 * The demo's call centre: four queues and the constants of its traffic model. Chosen so
 * that, at speed 1, each queue's service level swings across the 80 % target within a few
 * minutes of watching: a six-minute day overloads each queue at its peak (service level
 * near 70 %) and leaves it idle at night (near 90 %); over hours it averages about 75 %.
 * test/server/simulator.test.ts holds the model to this.
 */

export interface QueueSpec {
  /** Any UTF-8 text, as in queues.conf. */
  name: string
  /** Member interfaces as queue_log writes them: PJSIP/1001, Local/1101@agents/n … */
  agents: string[]
  /** Calls a minute at the busiest point of the day curve. */
  peakCallsPerMin: number
  /** Mean talk time in seconds (exponentially distributed). */
  talkMeanS: number
  /** Mean patience in seconds beyond MODEL.patienceMinS (exponentially distributed). */
  patienceMeanS: number
  /** Callers still waiting after this long leave with EXITWITHTIMEOUT. @default 300 */
  timeoutS?: number
  /** Where in its day this queue is when the simulator starts, 0–1. @default 0.25 */
  dayOffset?: number
}

const members = (prefix: string, first: number, count: number, suffix = '') =>
  Array.from({ length: count }, (_, i) => `${prefix}${first + i}${suffix}`)

/** The queues of `callboard demo`; they peak at different times so the wall is never uniform. */
export const DEFAULT_QUEUES: readonly QueueSpec[] = [
  {
    name: '报修热线',
    agents: members('PJSIP/', 1001, 6),
    peakCallsPerMin: 8.5,
    talkMeanS: 40,
    patienceMeanS: 60,
    dayOffset: 0.25,
  },
  {
    name: 'Sales',
    agents: members('Local/', 1101, 5, '@agents/n'),
    peakCallsPerMin: 5.2,
    talkMeanS: 50,
    patienceMeanS: 75,
    dayOffset: 0.4,
  },
  {
    name: 'Support',
    agents: members('Agent/', 1201, 7),
    peakCallsPerMin: 7,
    talkMeanS: 60,
    patienceMeanS: 90,
    dayOffset: 0.1,
  },
  {
    name: 'Billing',
    agents: members('PJSIP/', 1301, 4),
    peakCallsPerMin: 4.2,
    talkMeanS: 45,
    patienceMeanS: 150,
    timeoutS: 60,
    dayOffset: 0.6,
  },
]

/** Model constants shared by all queues, in seconds of simulated time at speed 1. */
export const MODEL = {
  /** One compressed day: night, a midday peak, night again. */
  dayS: 360,
  /** Arrival rate at night as a share of the peak rate. */
  nightShare: 0.1,
  timeoutS: 300,
  /** Nobody hangs up during the first seconds of the greeting; patience runs after it. */
  patienceMinS: 8,
  ringMinS: 1,
  ringMaxS: 6,
  /** Share of rings nobody picks up; they end in RINGNOANSWER after ringTimeoutS. */
  noAnswerShare: 0.03,
  ringTimeoutS: 15,
  /** A caller whose ring went unanswered waits this long before the next member rings. */
  retryS: 5,
  /** After-call work; queue_log does not record it, but the agent takes no call meanwhile. */
  wrapS: 5,
  /** Mean time between one agent's breaks. */
  breakEveryMeanS: 600,
  breakMinS: 30,
  breakMaxS: 90,
  /** Drawn uniformly, so Break is the most common. */
  pauseReasons: ['Break', 'Break', 'Break', 'Lunch', 'Training'],
} as const

/**
 * A morning of one queue, Sales, worked out by hand, for the tests of the calls behind a
 * figure and of the staffing charts. The server's clock is meant to stand still at NOW,
 * 10:00:00 UTC of today's date, so that stream ids, which Redis stamps now, fall in the
 * day the server reads.
 */

export const DAY = new Date().toISOString().slice(0, 10)
export const NOW = Date.parse(`${DAY}T10:00:00Z`)

/** Epoch seconds of a time of today, UTC. */
export const at = (hms: string) => Date.parse(`${DAY}T${hms}Z`) / 1000

/**
 * Sales, by hand (wait, and what it counts for under T = 20 s):
 *   c1 09:00:00 → answered by 1001 at 09:00:10, wait 10: met
 *   c2 09:00:05 → answered by 1002 at 09:00:35, wait 30: missed (at 09:00:25)
 *   c3 09:00:08 → abandoned at 09:00:13, wait 5: missed (every abandon counts against)
 *   c4 09:20:00 → abandoned at 09:21:00, wait 60: missed (at 09:20:20)
 *   c5 09:29:50 → left (timeout) at 09:30:20, wait 30: missed (at 09:30:10)
 *   c8 09:40:00 → answered by 1002 at 09:40:15, wait 15: met
 *   c7 09:50:00 → still waiting: missed (at 09:50:20)
 *   c6 09:59:55 → still waiting, 5 s: not counted yet
 * Denominator 7 (all but c6), numerator 2 (c1, c8); answered 3, abandoned 2, left 1,
 * waiting 2.
 */
export const DAY_OF_SALES = [
  `${at('09:00:00')}|NONE|Sales|PJSIP/1001|ADDMEMBER|`,
  `${at('09:00:00')}|NONE|Sales|PJSIP/1002|ADDMEMBER|`,
  `${at('09:00:00')}|c1|Sales|NONE|ENTERQUEUE||100|1`,
  `${at('09:00:05')}|c2|Sales|NONE|ENTERQUEUE||102|2`,
  `${at('09:00:08')}|c3|Sales|NONE|ENTERQUEUE||103|3`,
  `${at('09:00:10')}|c1|Sales|PJSIP/1001|CONNECT|10|c1.b|0`,
  `${at('09:00:13')}|c3|Sales|NONE|ABANDON|2|3|5`,
  `${at('09:00:35')}|c2|Sales|PJSIP/1002|CONNECT|30|c2.b|0`,
  `${at('09:05:10')}|c1|Sales|PJSIP/1001|COMPLETECALLER|10|300|1`,
  `${at('09:10:35')}|c2|Sales|PJSIP/1002|COMPLETEAGENT|30|600|1`,
  `${at('09:20:00')}|c4|Sales|NONE|ENTERQUEUE||104|1`,
  `${at('09:21:00')}|c4|Sales|NONE|ABANDON|1|1|60`,
  `${at('09:29:50')}|c5|Sales|NONE|ENTERQUEUE||105|1`,
  `${at('09:30:20')}|c5|Sales|NONE|EXITWITHTIMEOUT|1|1|30`,
  `${at('09:40:00')}|c8|Sales|NONE|ENTERQUEUE||108|1`,
  `${at('09:40:15')}|c8|Sales|PJSIP/1002|CONNECT|15|c8.b|0`,
  `${at('09:45:00')}|NONE|Sales|PJSIP/1001|PAUSE|Lunch`,
  `${at('09:50:00')}|c7|Sales|NONE|ENTERQUEUE||107|1`,
  `${at('09:55:15')}|c8|Sales|PJSIP/1002|COMPLETECALLER|15|900|1`,
  `${at('09:59:55')}|c6|Sales|NONE|ENTERQUEUE||106|1`,
].join('\n')

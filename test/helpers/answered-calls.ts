/**
 * `count` calls on Sales that entered a minute ago and were answered in 3 s, as queue_log
 * lines: what the fault tests post before, during and after they break something.
 */
export function answeredCalls(tag: string, count: number): string {
  const entered = Math.floor(Date.now() / 1000) - 60
  return Array.from({ length: count }, (_, i) =>
    [
      `${entered}|${tag}-${i}|Sales|NONE|ENTERQUEUE||1|1`,
      `${entered + 3}|${tag}-${i}|Sales|PJSIP/1001|CONNECT|3|${tag}-${i}.b|1`,
    ].join('\n'),
  ).join('\n')
}

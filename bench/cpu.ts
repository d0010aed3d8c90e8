/**
 * CPU time of processes from /proc (Linux), to say which process a measurement was bound
 * by: the server, the load process or Redis.
 */
import { readFileSync } from 'node:fs'

/** Clock ticks per second of /proc/<pid>/stat; 100 on every Linux the bench targets. */
const TICKS_PER_S = 100

/** CPU seconds (user + system) a process has used so far. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  // The command name may hold spaces; the fields after its closing parenthesis do not.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_S
}

/** CPU seconds the whole machine has spent busy (not idle, not waiting for disk). */
export function machineBusySeconds(): number {
  const fields = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').trim().split(/\s+/)
  const ticks = fields.slice(1, 9).map(Number)
  const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0)
  return (ticks.reduce((a, b) => a + b, 0) - idle) / TICKS_PER_S
}

/**
 * Measures the share of one core each process used while `work` ran, in percent, and
 * `others`: everything else the machine did meanwhile (the kernel's network work, and
 * anything not ours that ran at the same time and made the numbers worse).
 */
export async function cpuDuring<T>(
  pids: Record<string, number>,
  work: () => Promise<T>,
): Promise<{ result: T; cpuPercent: Record<string, number> }> {
  const before = Object.fromEntries(
    Object.entries(pids).map(([name, pid]) => [name, cpuSeconds(pid)]),
  )
  const busyBefore = machineBusySeconds()
  const started = performance.now()
  const result = await work()
  const elapsedS = (performance.now() - started) / 1000

  const cpuPercent: Record<string, number> = {}
  let ours = 0
  for (const [name, pid] of Object.entries(pids)) {
    const used = cpuSeconds(pid) - (before[name] ?? 0)
    ours += used
    cpuPercent[name] = Math.round((used / elapsedS) * 100)
  }
  const others = machineBusySeconds() - busyBefore - ours
  cpuPercent.others = Math.max(0, Math.round((others / elapsedS) * 100))
  return { result, cpuPercent }
}

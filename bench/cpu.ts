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

/** Measures the share of one core each process used while `work` ran, in percent. */
export async function cpuDuring<T>(
  pids: Record<string, number>,
  work: () => Promise<T>,
): Promise<{ result: T; cpuPercent: Record<string, number> }> {
  const before = Object.fromEntries(
    Object.entries(pids).map(([name, pid]) => [name, cpuSeconds(pid)]),
  )
  const started = performance.now()
  const result = await work()
  const elapsedS = (performance.now() - started) / 1000

  const cpuPercent: Record<string, number> = {}
  for (const [name, pid] of Object.entries(pids)) {
    cpuPercent[name] = Math.round(((cpuSeconds(pid) - (before[name] ?? 0)) / elapsedS) * 100)
  }
  return { result, cpuPercent }
}

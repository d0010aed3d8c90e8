/**
 * The machine a bench run measured: the numbers mean little without it.
 */
import { readFileSync } from 'node:fs'
import { availableParallelism, loadavg, totalmem } from 'node:os'

export interface Machine {
  cores: number
  cpu: string
  memoryGb: number
  node: string
  redis: string
  chromium: string | null
  /** The one-minute load average as the run began: above ~0.5, something else was busy. */
  loadAtStart: number
}

export function describeMachine(
  redis: string,
  chromium: string | null,
  loadAtStart: number,
): Machine {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8')

  return {
    cores: availableParallelism(),
    cpu: /model name\s*:\s*(.+)/.exec(cpuinfo)?.[1]?.trim() ?? 'unknown',
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    redis,
    chromium,
    loadAtStart,
  }
}

export function loadAverage(): number {
  return Math.round((loadavg()[0] ?? 0) * 100) / 100
}

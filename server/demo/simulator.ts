/**
 * The demo's traffic: a discrete-event model of a small call centre that writes what
 * Asterisk would write to queue_log. Poisson arrivals follow a compressed day, callers
 * hang up when their patience runs out, agents ring, talk, wrap up and take breaks.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import type { Logger } from '../logger.ts'
import { CallCentre } from './call-centre.ts'
import { DEFAULT_QUEUES, type QueueSpec } from './demo-queues.ts'

export { DEFAULT_QUEUES, MODEL, type QueueSpec } from './demo-queues.ts'

export interface SimulatorOptions {
  /** @default DEFAULT_QUEUES */
  queues?: readonly QueueSpec[]
  /**
   * Runs the model this many times faster: proportionally more calls and shorter waits,
   * talks and days, while timestamps stay on the real clock. The wall's 20 s threshold does
   * not scale, so service levels look better above 1. @default 1
   */
  speed?: number
  /** @default 1 */
  seed?: number
  /** Read once, for the start of the simulated day. @default Date.now */
  now?: () => number
}

export interface Simulator {
  /** Epoch ms at which the simulated day (and the ADDMEMBER lines) start. */
  readonly startMs: number
  /** queue_log lines of everything that happened after the previous step up to `untilMs`. */
  step(untilMs: number): string[]
  /** The arrival rate of `queue` at `atMs` as a share of its peak rate, 0–1. */
  load(queue: string, atMs: number): number
}

export function createSimulator(opts: SimulatorOptions = {}): Simulator {
  const speed = opts.speed ?? 1
  if (!(speed > 0 && Number.isFinite(speed))) {
    throw new Error(`speed must be a positive number, got ${speed}`)
  }

  const model = new CallCentre(opts.queues ?? DEFAULT_QUEUES, speed, opts.seed ?? 1, opts.now)
  return {
    startMs: model.startMs,
    step: (untilMs) => model.step(untilMs),
    load: (queue, atMs) => model.load(queue, atMs),
  }
}

export interface SimulatorLoopOptions extends SimulatorOptions {
  /** Delivers lines, e.g. to the ingest endpoint; a rejection keeps them for the next tick. */
  post(lines: string[]): Promise<void>
  /** @default 250 */
  tickMs?: number
  signal?: AbortSignal
  logger: Logger
}

const LOOP_DEFAULTS = {
  tickMs: 250,
  /** Longest wait between attempts while posting fails. */
  maxBackoffMs: 5000,
  /** Hours of demo traffic; beyond this the oldest unsent lines are dropped. */
  maxUnsentLines: 100_000,
}

/**
 * Steps a simulator on the real clock every `tickMs` and posts what happened, until
 * `signal` aborts. Lines whose post failed are sent again, ahead of newer ones.
 */
export async function runSimulatorLoop(opts: SimulatorLoopOptions): Promise<void> {
  const log = opts.logger.child({ component: 'demo' })
  const now = opts.now ?? Date.now
  const tickMs = opts.tickMs ?? LOOP_DEFAULTS.tickMs
  const simulator = createSimulator({ ...opts, now })

  const queues = (opts.queues ?? DEFAULT_QUEUES).map((queue) => queue.name)
  const { seed, speed } = opts
  log.info({ event: 'simulator_started', queues, seed, speed, tickMs }, 'simulating calls')

  let unsent: string[] = []
  let failures = 0
  while (!opts.signal?.aborted) {
    // concat, not push(...): after a long sleep one step can return more lines than a call
    // may take arguments.
    unsent = dropOldest(unsent.concat(simulator.step(now())), log)

    if (unsent.length > 0) {
      try {
        await opts.post(unsent)
        unsent = []
        failures = 0
      } catch (err) {
        failures++
        log.warn({ event: 'simulator_post_failed', err, lines: unsent.length, failures })
      }
    }

    const backoff = Math.min(LOOP_DEFAULTS.maxBackoffMs, tickMs * 2 ** failures)
    await sleep(backoff, undefined, { signal: opts.signal }).catch(rethrowUnlessAbort)
  }

  log.info({ event: 'simulator_stopped', unsent: unsent.length }, 'simulation stopped')
}

function dropOldest(lines: string[], log: Logger): string[] {
  const excess = lines.length - LOOP_DEFAULTS.maxUnsentLines
  if (excess <= 0) return lines

  log.error({ event: 'simulator_lines_dropped', lines: excess }, 'posting failed for too long')
  return lines.slice(excess)
}

function rethrowUnlessAbort(err: unknown) {
  if ((err as Error).name !== 'AbortError') throw err
}

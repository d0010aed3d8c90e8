/**
 * The alerts of a running server: the live engine and agent board of this process as the
 * alerts read them, and the service built on them.
 */
import type { Redis } from 'ioredis'
import type { Config } from '../config.ts'
import { takeSnapshot } from '../engine/snapshot.ts'
import type { LiveFigures } from '../live/live-figures.ts'
import type { Logger } from '../logger.ts'
import { alertKeysFor } from './alert-keys.ts'
import type { AlertFile } from './alert-rules.ts'
import { AlertService } from './alert-service.ts'
import type { AlertInputs } from './judge.ts'

/** CALLBOARD_TARGET in percent, without the float noise of 0.57 × 100. */
export function targetPercent(config: Config): number {
  return Math.round(config.target * 10_000) / 100
}

/** The agent board is read for the alerts at most this often: it costs more than queues. */
const AGENT_READ_MS = 1000

/** The alerts judge each queue by its own settings, read anew at every judgement. */
export function liveInputs(live: LiveFigures): AlertInputs {
  const engine = live.engine
  let agents: ReturnType<AlertInputs['agents']> = null
  let agentsReadAt = -Infinity

  return {
    // The site's clock follows the settings.
    get time() {
      return engine.settings.time
    },
    snapshot: (window, now) =>
      takeSnapshot(engine, {
        window,
        now: Math.max(now, engine.clock),
        streamId: live.streamId,
        target: live.settings.rule(null).target,
        rules: (queue) => live.settings.rule(queue),
      }),
    // Stream ids start with the Redis time the entry was added: when it arrived, on one
    // clock for every process.
    lastArrivalAt: () => {
      const ms = Number(live.streamId.split('-')[0])
      return ms > 0 ? ms : null
    },
    // Events wake the alerts up to four times a second; agent limits are minutes long.
    agents: (now) => {
      if (now - agentsReadAt < AGENT_READ_MS && now >= agentsReadAt) return agents
      const board = live.agentSnapshot('today', {})
      const rules = live.agents?.config.rules
      agents = board === null || rules === undefined ? null : { board, rules }
      agentsReadAt = now
      return agents
    },
  }
}

/** The alert service of this process; start it once the live figures are rebuilt. */
export function createLiveAlerts(options: {
  config: Config
  redis: Redis
  live: LiveFigures
  file: AlertFile
  logger: Logger
}): AlertService {
  const { config, live } = options
  const alerts = new AlertService({
    redis: options.redis,
    keys: alertKeysFor(config.keyPrefix),
    inputs: liveInputs(live),
    targetPercent: targetPercent(config),
    file: options.file,
    logger: options.logger,
  })
  // Judged as events arrive, not only on the next tick of the clock.
  live.onChange(() => alerts.wake())
  return alerts
}

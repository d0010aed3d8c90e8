/**
 * `callboard serve`: the server alone, configured by environment. Starts its own Redis
 * when none is configured and none answers on the default port.
 */
import { join } from 'node:path'
import { loadConfig, type Config } from '../config.ts'
import { createLogger, type Logger } from '../logger.ts'
import { ensureRedis } from '../redis/launcher.ts'
import { startServer, type RunningServer } from '../server.ts'

export interface Started {
  server: RunningServer
  config: Config
  logger: Logger
  stop(): Promise<void>
}

/**
 * Starts Redis (if needed) and the server, and stops both on SIGINT or SIGTERM.
 * `beforeStart` runs against Redis before the server reads anything from it.
 */
export async function startAll(
  config = loadConfig(),
  beforeStart?: (redisUrl: string) => Promise<void>,
): Promise<Started> {
  const logger = createLogger(config.logLevel)
  const redis = await ensureRedis({
    url: config.redisUrl,
    dataDir: join(config.dataDir, 'redis'),
    logger,
  })
  try {
    await beforeStart?.(redis.url)
  } catch (error) {
    // A redis-server started for us would outlive the refusal otherwise.
    await redis.stop()
    throw error
  }
  const server = await startServer(config, redis.url, logger)

  let stopping: Promise<void> | undefined
  const stop = () => {
    stopping ??= (async () => {
      await server.close()
      await redis.stop()
    })()
    return stopping
  }
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void stop().then(() => process.exit(0)))
  }
  return { server, config, logger, stop }
}

export async function runServe(): Promise<number> {
  await startAll()
  return await new Promise<number>(() => {})
}

/**
 * `callboard demo`: the server plus traffic, so a newcomer sees the wall move within
 * minutes. Simulated calls by default; `--replay FILE` plays a recorded queue_log instead.
 * Demo data goes under a key prefix of its own (CALLBOARD_PREFIX, else callboard-demo),
 * apart from a real site's and from anyone else's demo on the same Redis.
 */
import { readFile } from 'node:fs/promises'
import { parseArgs } from 'node:util'
import { Redis } from 'ioredis'
import type { CanonicalEvent } from '../../shared/events.ts'
import { parseAsteriskBody } from '../adapters/asterisk-body.ts'
import { loadConfig } from '../config.ts'
import { demoPrefix, emptyDemoPrefix } from '../demo/demo-prefix.ts'
import { runReplay } from '../demo/replay.ts'
import { runSimulatorLoop } from '../demo/simulator.ts'
import { InputError } from '../errors.ts'
import { startAll } from './serve.ts'

export async function runDemo(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      replay: { type: 'string' },
      speed: { type: 'string' },
      seed: { type: 'string', default: '1' },
    },
  })

  const speed = Number(values.speed ?? (values.replay === undefined ? '1' : '10'))
  if (!(speed > 0 && speed <= 1000))
    throw new Error(`--speed must be a number from 0 to 1000, got "${values.speed}"`)
  const seed = Number(values.seed)
  if (!Number.isInteger(seed))
    throw new Error(`--seed must be a whole number, got "${values.seed}"`)

  // Parse the whole file before starting anything: a bad line is reported, not half-played.
  const recorded = values.replay === undefined ? undefined : await readRecording(values.replay)

  // Demo data is throwaway: a prefix of its own, emptied at start (demo/demo-prefix.ts).
  // Nobody should need a token to look at simulated calls on their own machine: access
  // control is off unless CALLBOARD_AUTH says otherwise.
  const prefix = demoPrefix(process.env)
  const env = { CALLBOARD_AUTH: 'off', ...process.env, CALLBOARD_PREFIX: prefix }
  const config = loadConfig(env)
  // With access control on, the demo posts its calls as the bootstrap admin.
  const token = config.access.adminToken
  if (config.access.enabled && token === undefined) {
    throw new Error('the demo with CALLBOARD_AUTH=on needs CALLBOARD_ADMIN_TOKEN to post calls')
  }
  const { server, logger } = await startAll(config, (url) => clearPrefix(url, prefix))
  const base = server.url

  // The simulated day lasts minutes, so a short rolling window shows it move best.
  console.log(`\n  callboard demo: open ${base}/?window=15m in a browser (Ctrl-C stops)`)
  console.log(`  data under the key prefix ${prefix} (CALLBOARD_PREFIX), emptied at start`)
  console.log(`  the agents: ${base}/agents?window=15m\n`)

  if (recorded !== undefined) {
    await runReplay({
      events: recorded,
      speed,
      logger,
      post: (events) =>
        send(
          `${base}/api/v1/events`,
          events.map((e) => JSON.stringify(e)).join('\n'),
          'application/x-ndjson',
          token,
        ),
    })
    console.log('  replay finished; the wall stays up until Ctrl-C')
    return await new Promise<number>(() => {})
  }

  await runSimulatorLoop({
    speed,
    seed,
    logger,
    post: (lines) => send(`${base}/api/v1/events/asterisk`, lines.join('\n'), 'text/plain', token),
  })
  return 0
}

async function clearPrefix(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url)
  try {
    await emptyDemoPrefix(redis, prefix)
  } finally {
    redis.disconnect()
  }
}

async function readRecording(path: string): Promise<CanonicalEvent[]> {
  const text = await readFile(path, 'utf8')
  try {
    return parseAsteriskBody(text)
  } catch (error) {
    if (error instanceof InputError) throw new Error(`${path}: ${error.detail}`)
    throw error
  }
}

async function send(url: string, body: string, contentType: string, token?: string) {
  if (body.length === 0) return
  const headers: Record<string, string> = { 'content-type': contentType }
  if (token !== undefined) headers.authorization = `Bearer ${token}`
  const response = await fetch(url, { method: 'POST', body, headers })
  if (!response.ok)
    throw new Error(`POST ${url} answered ${response.status}: ${await response.text()}`)
}

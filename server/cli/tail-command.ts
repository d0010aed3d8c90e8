/**
 * `callboard tail PATH --url URL`: how an Asterisk site connects. Follows the queue_log
 * until interrupted.
 */
import { readFile } from 'node:fs/promises'
import { parseArgs } from 'node:util'
import { createLogger } from '../logger.ts'
import { runTail } from './tail.ts'

export async function runTailCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      url: { type: 'string' },
      state: { type: 'string' },
      // A file keeps the token out of `ps`; --token is there for a quick try.
      'token-file': { type: 'string' },
      token: { type: 'string' },
      'poll-ms': { type: 'string', default: '500' },
      'log-level': { type: 'string', default: 'info' },
    },
  })

  const path = positionals[0]
  if (path === undefined || values.url === undefined) {
    throw new Error('usage: callboard tail /var/log/asterisk/queue_log --url http://HOST:8300')
  }
  const pollMs = Number(values['poll-ms'])
  if (!Number.isInteger(pollMs) || pollMs < 10) {
    throw new Error(`--poll-ms must be a whole number of at least 10, got "${values['poll-ms']}"`)
  }

  const controller = new AbortController()
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => controller.abort())

  const tokenFile = values['token-file']
  const token = tokenFile === undefined ? values.token : (await readFile(tokenFile, 'utf8')).trim()

  await runTail({
    path,
    url: ingestUrl(values.url),
    token,
    statePath: values.state,
    pollMs,
    logger: createLogger(values['log-level']),
    signal: controller.signal,
  })
  return 0
}

/** Accepts the server's base URL or the full ingest URL. */
function ingestUrl(url: string): string {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    throw new Error(`--url must be a URL such as http://callboard:8300, got "${url}"`)
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new Error(`--url must start with http:// or https://, got "${url}"`)
  }
  if (parsed.pathname === '/' || parsed.pathname === '') parsed.pathname = '/api/v1/events/asterisk'
  return parsed.toString()
}

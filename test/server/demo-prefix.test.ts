/**
 * `callboard demo` run as a newcomer runs it, in a child process against the real Redis:
 * it keeps its data under CALLBOARD_PREFIX, empties that prefix only, leaves another
 * person's demo on the same Redis alone, and refuses to empty a prefix no demo wrote.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import { Redis } from 'ioredis'
import { afterEach, describe, expect, it } from 'vitest'
import { DEFAULT_DEMO_PREFIX, demoPrefix } from '../../server/demo/demo-prefix.ts'
import { deleteKeys, newPrefix, redisUrl } from '../helpers/test-server.ts'

const ENTRY = fileURLToPath(new URL('../../bin/callboard.js', import.meta.url))

const children: ChildProcess[] = []
const prefixes: string[] = []
afterEach(async () => {
  for (const child of children.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM')
      await once(child, 'exit')
    }
  }
  const redis = new Redis(redisUrl())
  for (const prefix of prefixes.splice(0)) await deleteKeys(redis, prefix)
  redis.disconnect()
})

interface Demo {
  child: ChildProcess
  output: () => string
  exited: Promise<number | null>
}

function startDemo(prefix: string): Demo {
  prefixes.push(prefix)
  const child = spawn(process.execPath, [ENTRY, 'demo', '--speed', '50'], {
    env: {
      PATH: process.env.PATH,
      PORT: '0',
      REDIS_URL: redisUrl(),
      CALLBOARD_PREFIX: prefix,
      CALLBOARD_LOG_LEVEL: 'silent',
      ...(process.env.CALLBOARD_WEB_DIR
        ? { CALLBOARD_WEB_DIR: process.env.CALLBOARD_WEB_DIR }
        : {}),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  children.push(child)
  let text = ''
  child.stdout?.on('data', (chunk: Buffer) => (text += chunk.toString()))
  child.stderr?.on('data', (chunk: Buffer) => (text += chunk.toString()))
  const exited = once(child, 'exit').then(([code]) => code as number | null)
  return { child, output: () => text, exited }
}

async function until(done: () => Promise<boolean> | boolean, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error('timed out')
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

describe('callboard demo and its key prefix', () => {
  it('takes CALLBOARD_PREFIX when set, callboard-demo otherwise', () => {
    expect(demoPrefix({})).toBe(DEFAULT_DEMO_PREFIX)
    expect(demoPrefix({ CALLBOARD_PREFIX: '' })).toBe('callboard-demo')
    expect(demoPrefix({ CALLBOARD_PREFIX: 'demo-ana' })).toBe('demo-ana')
  })

  it('empties its own prefix only, and posts its calls there', async () => {
    const mine = newPrefix()
    const theirs = newPrefix()
    prefixes.push(theirs)
    const redis = new Redis(redisUrl())
    // An earlier demo of mine left a waiting call; someone else's demo runs meanwhile.
    await redis.set(`{${mine}}:demo`, '1')
    await redis.set(`{${mine}}:left-over`, 'waiting call')
    await redis.xadd(`{${theirs}}:events`, '*', 'e', '{}')

    const demo = startDemo(mine)
    await until(() => demo.output().includes('callboard demo: open'))
    expect(demo.output()).toContain(`data under the key prefix ${mine} (CALLBOARD_PREFIX)`)

    expect(await redis.exists(`{${mine}}:left-over`)).toBe(0)
    expect(await redis.xlen(`{${theirs}}:events`)).toBe(1)
    // The simulator's calls land under my prefix.
    await until(async () => (await redis.xlen(`{${mine}}:events`)) > 0)
    redis.disconnect()
  }, 40_000)

  it('refuses to empty a prefix that no demo wrote, deleting nothing', async () => {
    const site = newPrefix()
    const redis = new Redis(redisUrl())
    await redis.xadd(`{${site}}:events`, '*', 'e', '{}')

    const demo = startDemo(site)
    expect(await demo.exited).toBe(1)
    expect(demo.output()).toContain(
      `callboard demo: CALLBOARD_PREFIX=${site} holds 1 key that no demo wrote (a real site?); ` +
        'the demo empties its prefix at start, so give it another one, ' +
        'e.g. CALLBOARD_PREFIX=callboard-demo-yourname',
    )
    expect(await redis.xlen(`{${site}}:events`)).toBe(1)
    redis.disconnect()
  }, 40_000)
})

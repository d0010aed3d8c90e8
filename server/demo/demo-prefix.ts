/**
 * Where the demo keeps its data. Demo data is throwaway, so the demo empties its prefix at
 * start (calls left waiting by an earlier run would haunt this one); two people sharing a
 * Redis each set a CALLBOARD_PREFIX of their own and leave each other's demo alone. A prefix
 * holding data that no demo wrote, a real site's say, is never emptied.
 */
import type { Redis } from 'ioredis'
import { keysFor } from '../store/keys.ts'

/** The demo's prefix when CALLBOARD_PREFIX is not set. */
export const DEFAULT_DEMO_PREFIX = 'callboard-demo'

/** CALLBOARD_PREFIX when set (not empty), else the demo's own default. */
export function demoPrefix(env: Record<string, string | undefined>): string {
  const set = env.CALLBOARD_PREFIX?.trim()
  return set === undefined || set === '' ? DEFAULT_DEMO_PREFIX : set
}

/**
 * Deletes every key of `prefix` and marks it as a demo's. Throws, deleting nothing, when
 * the prefix holds keys but no demo marked it; the default prefix is a demo's by its name.
 */
export async function emptyDemoPrefix(redis: Redis, prefix: string): Promise<number> {
  const keys = keysFor(prefix)
  // Every key of a prefix carries it as the hash tag {prefix} (store/keys.ts).
  const found: string[] = []
  for await (const batch of redis.scanStream({ match: `{${prefix}}:*`, count: 1000 })) {
    found.push(...(batch as string[]))
  }

  const ours = prefix === DEFAULT_DEMO_PREFIX || (await redis.exists(keys.demo)) === 1
  if (found.length > 0 && !ours) {
    const held = `${found.length} ${found.length === 1 ? 'key' : 'keys'}`
    throw new Error(
      `CALLBOARD_PREFIX=${prefix} holds ${held} that no demo wrote (a real site?); ` +
        'the demo empties its prefix at start, so give it another one, ' +
        `e.g. CALLBOARD_PREFIX=${DEFAULT_DEMO_PREFIX}-yourname`,
    )
  }

  for (let i = 0; i < found.length; i += 1000) await redis.del(...found.slice(i, i + 1000))
  await redis.set(keys.demo, '1')
  return found.length
}

/**
 * Removes every key under a prefix, for tests and the benchmark that each write under a
 * prefix of their own. Nothing here imports vitest, so the bench can use it too.
 */
import type { Redis } from 'ioredis'

export async function deleteKeys(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0'
  do {
    const [next, found] = await redis.scan(cursor, 'MATCH', `{${prefix}}:*`, 'COUNT', 1000)
    cursor = next
    // UNLINK frees a million-entry stream in the background instead of blocking Redis.
    if (found.length > 0) await redis.unlink(...found)
  } while (cursor !== '0')
}

/**
 * Writes a piece of configuration and announces it to every server process, atomically:
 * one Lua script writes the keys, raises the configuration's version counter and appends
 * a small control event to the event stream. Each process reads the stream anyway, and
 * reloads the configuration when it meets a control event newer than the copy it holds.
 *
 * The stream rather than pub/sub: it is durable and ordered, so a process that lost Redis
 * for a while still finds the event when it resumes from its cursor, and the change takes
 * effect at the same place among the events on every process. The agent configuration and
 * the settings both write this way.
 */
import type { Redis } from 'ioredis'
import { StoreUnavailableError } from '../errors.ts'
import { isConnectionError } from './event-store.ts'

// KEYS[1] version counter, KEYS[2] event stream, KEYS[3..] keys written. ARGV[1] event time
// (ms), ARGV[2] event name, ARGV[3] scope, ARGV[4] the version the change was made from
// ('' for any), then operations: name, key index, argument count, arguments. Names and
// scopes are constants of ours, so they may stand in the JSON unescaped. Returns
// { version, stream id }, or { -1, current version } when ARGV[4] is not the current one.
const WRITE_SCRIPT = `
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if ARGV[4] ~= '' and tonumber(ARGV[4]) ~= current then return { -1, current } end

local version = redis.call('INCR', KEYS[1])
local i = 5
while i <= #ARGV do
  local op, key, count = ARGV[i], KEYS[tonumber(ARGV[i + 1])], tonumber(ARGV[i + 2])
  redis.call(op, key, unpack(ARGV, i + 3, i + 2 + count))
  i = i + 3 + count
end
local entry = '{"type":"other","name":"' .. ARGV[2] .. '","ts":' .. ARGV[1] ..
  ',"id":"' .. ARGV[2] .. '.' .. version .. '","data":["' .. ARGV[3] .. '","' .. version .. '"]}'
local id = redis.call('XADD', KEYS[2], '*', 'e', entry)
return { version, id }
`

/** One Redis write of a change; every key must be under the prefix's hash tag. */
export type Operation =
  | { op: 'SET'; key: string; value: string }
  | { op: 'HSET'; key: string; field: string; value: string }
  | { op: 'HDEL' | 'EXPIRE' | 'LPUSH'; key: string; arg: string }
  | { op: 'LTRIM'; key: string; start: number; stop: number }

export interface ControlWrite {
  /** Name of the control event, e.g. `callboard.config`. */
  event: string
  scope: string
  versionKey: string
  streamKey: string
  operations: readonly Operation[]
  /** Write only if the version is still this one; any version when omitted. */
  fromVersion?: number
}

export interface ConfigWrite {
  version: number
  /** Stream id of the control event. */
  streamId: string
}

/** Thrown when someone else changed the configuration since it was read. */
export class VersionConflictError extends Error {
  override readonly name = 'VersionConflictError'

  constructor(readonly current: number) {
    super(`changed meanwhile; now at version ${current}`)
  }
}

type WithScript = Redis & {
  callboardControlWrite(numKeys: number, ...args: string[]): Promise<[number, string | number]>
}

/** Defines the script on a connection; call once per connection before writing. */
export function defineControlWrite(redis: Redis): void {
  redis.defineCommand('callboardControlWrite', { lua: WRITE_SCRIPT })
}

export async function writeWithControlEvent(
  redis: Redis,
  write: ControlWrite,
): Promise<ConfigWrite> {
  const keys = [write.versionKey, write.streamKey]
  const from = write.fromVersion === undefined ? '' : String(write.fromVersion)
  const args: string[] = [String(Date.now()), write.event, write.scope, from]
  const indexOf = (key: string) => {
    let index = keys.indexOf(key)
    if (index < 0) index = keys.push(key) - 1
    return String(index + 1)
  }

  for (const operation of write.operations) {
    const at = indexOf(operation.key)
    const rest = argumentsOf(operation)
    args.push(operation.op, at, String(rest.length), ...rest)
  }

  const [version, id] = await call(() =>
    (redis as WithScript).callboardControlWrite(keys.length, ...keys, ...args),
  )
  if (version < 0) throw new VersionConflictError(Number(id))
  return { version, streamId: String(id) }
}

function argumentsOf(operation: Operation): string[] {
  switch (operation.op) {
    case 'SET':
      return [operation.value]
    case 'HSET':
      return [operation.field, operation.value]
    case 'LTRIM':
      return [String(operation.start), String(operation.stop)]
    default:
      return [operation.arg]
  }
}

/** Runs a Redis call, turning a lost connection into the error the routes answer 503 to. */
export async function call<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run()
  } catch (error) {
    if (isConnectionError(error)) throw new StoreUnavailableError('Redis is unavailable')
    throw error
  }
}

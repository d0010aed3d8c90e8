/**
 * `callboard token create|list|revoke`: tokens straight in Redis, for the first admin token
 * of a fresh install (no token exists yet to call the API with) and for scripts on the
 * server machine. Uses the Redis and key prefix `serve` would (REDIS_URL, CALLBOARD_PREFIX).
 */
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { Redis } from 'ioredis'
import { DateTime } from 'luxon'
import { authKeysFor } from '../auth/auth-keys.ts'
import { ROLES, ScopeSchema, type Role } from '../auth/roles.ts'
import { TokenStore } from '../auth/token-store.ts'
import { loadConfig } from '../config.ts'
import { createLogger } from '../logger.ts'
import { ensureRedis } from '../redis/launcher.ts'

const USAGE = `usage: callboard token create --role ingest|viewer|supervisor|admin [--name NAME]
                              [--queues A,B] [--teams north,south]
       callboard token list
       callboard token revoke ID`

export async function runTokenCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      role: { type: 'string' },
      name: { type: 'string' },
      queues: { type: 'string' },
      teams: { type: 'string' },
    },
  })
  const [action, id] = positionals
  if (action !== 'create' && action !== 'list' && action !== 'revoke') throw new Error(USAGE)

  const config = loadConfig()
  // Our own redis-server, when serve started one, is found again through its data directory
  // and left running for serve; one started just for this command is stopped after it.
  const redis = await ensureRedis({
    url: config.redisUrl,
    dataDir: join(config.dataDir, 'redis'),
    logger: createLogger('warn'),
  })
  const client = new Redis(redis.url, { maxRetriesPerRequest: 1 })
  const tokens = new TokenStore(client, authKeysFor(config.keyPrefix))

  try {
    if (action === 'list') return await list(tokens, config.time.tz, config.keyPrefix)
    if (action === 'revoke') return await revoke(tokens, id)
    return await create(tokens, values)
  } finally {
    client.disconnect()
    if (redis.started && !redis.adopted) await redis.stop()
  }
}

async function create(
  tokens: TokenStore,
  options: { role?: string; name?: string; queues?: string; teams?: string },
): Promise<number> {
  const role = options.role as Role
  if (!ROLES.includes(role)) throw new Error(`--role must be one of ${ROLES.join(', ')}\n${USAGE}`)
  if (role !== 'viewer' && (options.queues || options.teams)) {
    throw new Error('--queues and --teams limit viewer tokens only')
  }

  const scope = ScopeSchema.parse({ queues: names(options.queues), teams: names(options.teams) })
  const name = options.name ?? `${role} from the command line`
  const made = await tokens.create({ role, name, scope, createdBy: 'callboard token create' })

  // The token alone on stdout, so a script can take it; the rest on stderr.
  console.log(made.token)
  console.error(`${role} token ${made.record.id} "${name}": shown this once, keep it safe`)
  return 0
}

/** Last-seen times in the site's zone, as the wall shows its clock, with the offset said. */
async function list(tokens: TokenStore, tz: string, prefix: string): Promise<number> {
  const listed = await tokens.list()
  // An empty list is most often the wrong prefix: say which one was read.
  if (listed.length === 0) console.error(`no tokens under CALLBOARD_PREFIX=${prefix}`)

  for (const token of listed) {
    // An ingest token reads nothing, so what it may read is not its to say.
    const { queues, teams } = token.scope
    const scope =
      token.role === 'ingest'
        ? []
        : [`queues ${queues?.join(',') ?? 'all'}`, `teams ${teams?.join(',') ?? 'all'}`]
    const seen =
      token.lastSeenAt === null
        ? 'never'
        : DateTime.fromMillis(token.lastSeenAt, { zone: tz }).toFormat('yyyy-MM-dd HH:mm:ss ZZ')
    const columns = [token.id, token.role, JSON.stringify(token.name), `last seen ${seen}`]
    console.log([...columns, ...scope].join('  '))
  }
  return 0
}

async function revoke(tokens: TokenStore, id: string | undefined): Promise<number> {
  if (id === undefined) throw new Error(USAGE)
  if (!(await tokens.revoke(id))) {
    console.error(`no token ${id}; \`callboard token list\` shows them`)
    return 1
  }
  console.error(`revoked ${id}`)
  return 0
}

function names(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined
  return value
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean)
}

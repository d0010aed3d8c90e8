/**
 * Keeps the agent configuration (teams, roster, rules, schedules) in Redis, and lets every
 * server process know when it changed.
 *
 * A change is written, its version counter raised and a small control event appended to the
 * event stream, all in one Lua script, so no process can see one without the others. Each
 * process reads the stream anyway, and reloads the configuration when it meets a control
 * event newer than the copy it holds. We chose the stream over Redis pub/sub because the
 * stream is durable and ordered: a process that lost its Redis connection for a while finds
 * the control event when it resumes from its cursor (a pub/sub message sent meanwhile would
 * be gone), and the change takes effect at the same place among the events on every
 * process. The reload reads the whole configuration at one version, so processes that
 * have read the same stream hold the same configuration.
 */
import type { Redis } from 'ioredis'
import { z } from 'zod'
import type { CanonicalEvent } from '../../shared/events.ts'
import type { ScheduledActivity } from '../agents/adherence.ts'
import {
  EMPTY_AGENT_CONFIG,
  RosterAgentSchema,
  TeamSchema,
  type AgentConfig,
  type RosterAgent,
  type Team,
} from '../agents/agent-config.ts'
import { AgentRulesSchema, type AgentRules } from '../agents/agent-rules.ts'
import { StoreUnavailableError } from '../errors.ts'
import type { Logger } from '../logger.ts'
import { isConnectionError } from './event-store.ts'
import type { Keys } from './keys.ts'

/** Name of the `other` event that announces a configuration change. */
export const CONFIG_EVENT = 'callboard.config'

export type ConfigScope = 'teams' | 'roster' | 'rules' | 'schedules'

/** Schedules are kept this long after they were last written. */
const SCHEDULE_TTL_SECONDS = 45 * 86_400

// KEYS[1] version counter, KEYS[2] event stream, KEYS[3..] keys written. ARGV[1] event time
// (ms), ARGV[2] scope, then operations: SET k v | HSET k f v | HDEL k f | EXPIRE k s,
// where k indexes KEYS. Everything is checked before the script runs.
const WRITE_SCRIPT = `
local version = redis.call('INCR', KEYS[1])
local i = 3
while i <= #ARGV do
  local op, key = ARGV[i], KEYS[tonumber(ARGV[i + 1])]
  if op == 'HSET' then
    redis.call('HSET', key, ARGV[i + 2], ARGV[i + 3])
    i = i + 4
  else
    redis.call(op, key, ARGV[i + 2])
    i = i + 3
  end
end
local entry = '{"type":"other","name":"${CONFIG_EVENT}","ts":' .. ARGV[1] ..
  ',"id":"${CONFIG_EVENT}.' .. version .. '","data":["' .. ARGV[2] .. '","' .. version .. '"]}'
local id = redis.call('XADD', KEYS[2], '*', 'e', entry)
return { version, id }
`

type Operation =
  | { op: 'SET'; key: string; value: string }
  | { op: 'HSET'; key: string; field: string; value: string }
  | { op: 'HDEL' | 'EXPIRE'; key: string; arg: string }

export interface ConfigWrite {
  version: number
  /** Stream id of the control event. */
  streamId: string
}

const ActivitiesSchema = z.array(
  z.object({ activity: z.string(), start: z.number(), end: z.number() }),
)

export class AgentConfigStore {
  readonly #redis: Redis
  readonly #keys: Keys
  readonly #logger: Logger

  constructor(redis: Redis, keys: Keys, logger: Logger) {
    this.#redis = redis
    this.#keys = keys
    this.#logger = logger
    redis.defineCommand('callboardConfigWrite', { lua: WRITE_SCRIPT })
  }

  saveTeams(teams: readonly Team[]): Promise<ConfigWrite> {
    return this.#write('teams', [
      { op: 'SET', key: this.#keys.teams, value: JSON.stringify(teams) },
    ])
  }

  saveRoster(roster: readonly RosterAgent[]): Promise<ConfigWrite> {
    const value = JSON.stringify(roster)
    return this.#write('roster', [{ op: 'SET', key: this.#keys.roster, value }])
  }

  saveRules(rules: AgentRules): Promise<ConfigWrite> {
    const value = JSON.stringify(rules)
    return this.#write('rules', [{ op: 'SET', key: this.#keys.agentRules, value }])
  }

  /**
   * Replaces the schedules of each (day, agent) given; an empty list removes that agent's
   * schedule for the day.
   */
  saveSchedules(
    days: ReadonlyMap<string, ReadonlyMap<string, readonly ScheduledActivity[]>>,
  ): Promise<ConfigWrite> {
    const operations: Operation[] = []

    for (const [day, agents] of days) {
      const key = this.#keys.schedule(day)
      for (const [agent, activities] of agents) {
        const plain = activities.map(({ activity, start, end }) => ({ activity, start, end }))
        operations.push(
          plain.length === 0
            ? { op: 'HDEL', key, arg: agent }
            : { op: 'HSET', key, field: agent, value: JSON.stringify(plain) },
        )
      }
      operations.push({ op: 'EXPIRE', key, arg: String(SCHEDULE_TTL_SECONDS) })
    }
    return this.#write('schedules', operations)
  }

  /** One day's stored schedules, agent id → activities. */
  async readSchedules(day: string): Promise<Map<string, ScheduledActivity[]>> {
    const raw = await this.#call(() => this.#redis.hgetall(this.#keys.schedule(day)))
    return this.#parseSchedules(day, raw)
  }

  /** The whole configuration at one version, with the schedules of `days`. */
  async load(days: readonly string[]): Promise<AgentConfig> {
    const keys = this.#keys
    const transaction = this.#redis
      .multi()
      .get(keys.agentConfigVersion)
      .get(keys.teams)
      .get(keys.roster)
      .get(keys.agentRules)
    for (const day of days) transaction.hgetall(keys.schedule(day))

    const replies = (await this.#call(() => transaction.exec())) ?? []
    const values = replies.map(([error, value]) => {
      if (error !== null) throw error
      return value
    })
    const [version, teams, roster, rules, ...schedules] = values as [
      string | null,
      string | null,
      string | null,
      string | null,
      ...Record<string, string>[],
    ]

    return {
      version: Number(version ?? 0),
      teams: this.#parse('teams', teams, z.array(TeamSchema), EMPTY_AGENT_CONFIG.teams),
      roster: this.#parse('roster', roster, z.array(RosterAgentSchema), EMPTY_AGENT_CONFIG.roster),
      rules: this.#parse('rules', rules, AgentRulesSchema, EMPTY_AGENT_CONFIG.rules),
      schedules: new Map(
        days.map((day, index) => [day, this.#parseSchedules(day, schedules[index] ?? {})]),
      ),
    }
  }

  async #write(scope: ConfigScope, operations: readonly Operation[]): Promise<ConfigWrite> {
    const keys = [this.#keys.agentConfigVersion, this.#keys.events]
    const args: string[] = [String(Date.now()), scope]
    const indexOf = (key: string) => {
      let index = keys.indexOf(key)
      if (index < 0) index = keys.push(key) - 1
      return String(index + 1)
    }

    for (const operation of operations) {
      const at = indexOf(operation.key)
      if (operation.op === 'SET') args.push('SET', at, operation.value)
      else if (operation.op === 'HSET') args.push('HSET', at, operation.field, operation.value)
      else args.push(operation.op, at, operation.arg)
    }

    const redis = this.#redis as Redis & {
      callboardConfigWrite(numKeys: number, ...args: string[]): Promise<[number, string]>
    }
    const [version, streamId] = await this.#call(() =>
      redis.callboardConfigWrite(keys.length, ...keys, ...args),
    )
    this.#logger.info({ event: 'agent_config_saved', component: 'agents', scope, version })
    return { version, streamId }
  }

  async #call<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run()
    } catch (error) {
      if (isConnectionError(error)) throw new StoreUnavailableError('Redis is unavailable')
      throw error
    }
  }

  // Written by us after checks; read with checks anyway, as every entry is. A bad value is
  // logged and replaced by the default rather than stopping the board.
  #parse<T>(what: string, raw: string | null, schema: z.ZodType<T>, fallback: T): T {
    if (raw === null) return fallback

    const parsed = schema.safeParse(safeJson(raw))
    if (parsed.success) return parsed.data
    this.#logger.error({ event: 'agent_config_invalid', component: 'agents', what })
    return fallback
  }

  #parseSchedules(day: string, raw: Record<string, string>): Map<string, ScheduledActivity[]> {
    const out = new Map<string, ScheduledActivity[]>()
    for (const [agent, json] of Object.entries(raw)) {
      const activities = this.#parse(`schedule ${day}`, json, ActivitiesSchema, [])
      out.set(agent, activities)
    }
    return out
  }
}

/** The scope and version a control event announces, or null for any other event. */
export function readConfigEvent(event: CanonicalEvent): { scope: string; version: number } | null {
  if (event.type !== 'other' || event.name !== CONFIG_EVENT) return null

  const [scope = '', version = ''] = event.data
  const number = Number(version)
  return Number.isInteger(number) ? { scope, version: number } : null
}

function safeJson(raw: string): unknown {
  try {
    return JSON.parse(raw)
  } catch {
    return undefined
  }
}

/**
 * Keeps the agent configuration (teams, roster, rules, schedules) in Redis, and lets every
 * server process know when it changed.
 *
 * A change is written, its version counter raised and a small control event appended to the
 * event stream, all in one Lua script (control-write.ts), so no process can see one without
 * the others. The reload reads the whole configuration at one version, so processes that
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
import type { Logger } from '../logger.ts'
import {
  call,
  defineControlWrite,
  writeWithControlEvent,
  type ConfigWrite,
  type Operation,
} from './control-write.ts'
import type { Keys } from './keys.ts'

export type { ConfigWrite } from './control-write.ts'

/** Name of the `other` event that announces a configuration change. */
export const CONFIG_EVENT = 'callboard.config'

export type ConfigScope = 'teams' | 'roster' | 'rules' | 'schedules'

/** Schedules are kept this long after they were last written. */
const SCHEDULE_TTL_SECONDS = 45 * 86_400

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
    defineControlWrite(redis)
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
    const written = await writeWithControlEvent(this.#redis, {
      event: CONFIG_EVENT,
      scope,
      versionKey: this.#keys.agentConfigVersion,
      streamKey: this.#keys.events,
      operations,
    })
    this.#logger.info({ event: 'agent_config_saved', component: 'agents', scope, ...written })
    return written
  }

  #call<T>(run: () => Promise<T>): Promise<T> {
    return call(run)
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

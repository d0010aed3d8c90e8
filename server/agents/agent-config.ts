/**
 * The site's agent configuration as every server process holds it: teams, the roster (who
 * the agents are, their team and the member names that stand for them), the rules and
 * the schedules near today. It lives in Redis; see agent-config-store.ts for how a change
 * reaches every process.
 */
import { z } from 'zod'
import type { ScheduledActivity } from './adherence.ts'
import { AgentRulesSchema, DEFAULT_AGENT_RULES, type AgentRules } from './agent-rules.ts'
import { fieldProblems, inWords } from '../zod-words.ts'
import { UploadError, type UploadProblem } from './upload-error.ts'

const Id = z.string().trim().min(1, 'expected a value').max(200)
const Label = z.string().trim().min(1).max(100)

export const TeamSchema = z
  .object({ id: Id, name: Label.optional(), leader: Label.optional() })
  .strict()

export const RosterAgentSchema = z
  .object({
    id: Id,
    name: Label.optional(),
    team: Id.optional(),
    /** Member names that stand for this agent: `PJSIP/1001`, `Local/1001@agents/n` … */
    aliases: z.array(Id).max(50).default([]),
  })
  .strict()

export type Team = z.infer<typeof TeamSchema>
export type RosterAgent = z.infer<typeof RosterAgentSchema>

export interface AgentConfig {
  /** The configuration version (a Redis counter) this copy was read at. */
  version: number
  teams: Team[]
  roster: RosterAgent[]
  rules: AgentRules
  /** Site day (YYYY-MM-DD) → agent id → activities, for the days around today. */
  schedules: Map<string, Map<string, ScheduledActivity[]>>
}

export const EMPTY_AGENT_CONFIG: AgentConfig = {
  version: 0,
  teams: [],
  roster: [],
  rules: DEFAULT_AGENT_RULES,
  schedules: new Map(),
}

/** Member name → agent id, from the roster's aliases. */
export function aliasTable(roster: readonly RosterAgent[]): Map<string, string> {
  const table = new Map<string, string>()
  for (const agent of roster) for (const alias of agent.aliases) table.set(alias, agent.id)
  return table
}

/**
 * What the agent engine depends on while it applies events. When this changes, the engine
 * is rebuilt from the stream, so that its figures are those of the configuration now.
 */
export function engineKey(config: AgentConfig): string {
  return JSON.stringify([[...aliasTable(config.roster)].sort(), config.rules.wrapReasons])
}

/** Checks a teams upload; throws an UploadError naming every bad row. */
export function readTeams(body: unknown): Team[] {
  const rows = readArray(body, TeamSchema)
  refuseDuplicates(
    rows.map((team) => team.id),
    'id',
    'team',
  )
  return rows
}

/** Checks a roster upload against the teams; throws an UploadError naming every bad row. */
export function readRoster(body: unknown, teams: readonly Team[]): RosterAgent[] {
  const rows = readArray(body, RosterAgentSchema)
  const problems: UploadProblem[] = []
  const teamIds = new Set(teams.map((team) => team.id))
  const ids = new Set(rows.map((agent) => agent.id))
  const aliasOwner = new Map<string, number>()

  rows.forEach((agent, index) => {
    const row = index + 1
    if (agent.team !== undefined && !teamIds.has(agent.team)) {
      problems.push({ row, field: 'team', reason: `unknown team "${agent.team}"` })
    }
    for (const alias of agent.aliases) {
      const owner = aliasOwner.get(alias)
      if (owner !== undefined && owner !== row) {
        problems.push({ row, field: 'aliases', reason: `"${alias}" is also row ${owner}'s` })
      } else if (ids.has(alias) && alias !== agent.id) {
        problems.push({ row, field: 'aliases', reason: `"${alias}" is another agent's id` })
      }
      aliasOwner.set(alias, row)
    }
  })
  if (problems.length > 0) throw new UploadError(problems)

  refuseDuplicates(
    rows.map((agent) => agent.id),
    'id',
    'agent',
  )
  return rows
}

function readArray<T>(body: unknown, schema: z.ZodType<T>): T[] {
  if (!Array.isArray(body)) throw new UploadError([{ reason: 'expected a JSON array' }])

  const problems: UploadProblem[] = []
  const rows: T[] = []
  body.forEach((value, index) => {
    const parsed = schema.safeParse(value, { error: inWords })
    if (parsed.success) return rows.push(parsed.data)

    for (const { field, message } of fieldProblems(parsed.error, value)) {
      problems.push({ row: index + 1, field: asField(field), reason: message })
    }
  })
  if (problems.length > 0) throw new UploadError(problems)
  return rows
}

function refuseDuplicates(ids: readonly string[], field: string, what: string): void {
  const first = new Map<string, number>()
  const problems: UploadProblem[] = []

  ids.forEach((id, index) => {
    const seen = first.get(id)
    if (seen === undefined) return first.set(id, index + 1)
    problems.push({ row: index + 1, field, reason: `${what} "${id}" is already row ${seen}` })
  })
  if (problems.length > 0) throw new UploadError(problems)
}

/** Checks a rules upload (missing settings take their defaults); throws an UploadError. */
export function readRules(body: unknown): AgentRules {
  const parsed = AgentRulesSchema.safeParse(body, { error: inWords })
  if (parsed.success) return parsed.data

  const problems = fieldProblems(parsed.error, body).map(({ field, message }) => ({
    field: asField(field),
    reason: message,
  }))
  throw new UploadError(problems)
}

/** An upload's problems name no field when the row or document as a whole is wrong. */
function asField(field: string): string | undefined {
  return field === 'body' ? undefined : field
}

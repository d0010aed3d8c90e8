/**
 * Agent endpoints: the agent board's figures, and the agent configuration (teams, roster,
 * rules, schedules). A change is checked whole first, stored with its control event in one
 * step, and answered once this server shows it; other servers follow within moments.
 */
import { Hono, type Context } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { DateTime } from 'luxon'
import { z } from 'zod'
import { isoDay, nameList, parseQuery } from './query.ts'
import { WINDOWS, type TimeSettings } from '../../shared/windows.ts'
import { readRoster, readRules, readTeams } from '../agents/agent-config.ts'
import { buildSchedule, checkOverlaps, neighbourDays } from '../agents/schedule-import.ts'
import { readCsvRows, readJsonRows } from '../agents/schedule-rows.ts'
import { UploadError } from '../agents/upload-error.ts'
import { principalOf } from '../auth/access.ts'
import { scopeAgentFilter } from '../auth/scope.ts'
import { InputError } from '../errors.ts'
import type { AgentLive } from '../live/agent-live.ts'
import type { LiveFigures } from '../live/live-figures.ts'
import type { AgentConfigStore, ConfigWrite } from '../store/agent-config-store.ts'

export interface AgentRoutesDeps {
  live: LiveFigures
  store: AgentConfigStore
  maxBodyBytes: number
}

export const AgentQuerySchema = z.object({
  window: z.enum(WINDOWS).default('today'),
  team: nameList,
  queue: nameList,
})

const ScheduleQuerySchema = z.object({
  date: isoDay,
  agent: z.string().trim().min(1).max(200).optional(),
})

/** Parses ?window=…&team=a,b&queue=…, naming the parameter that is wrong. */
export function parseAgentQuery(query: Record<string, string | undefined>) {
  const { window, team, queue } = parseQuery(AgentQuerySchema, query)
  const filter = {
    ...(team !== undefined && team.length > 0 ? { teams: team } : {}),
    ...(queue !== undefined && queue.length > 0 ? { queues: queue } : {}),
  }
  return { window, filter }
}

export function agentRoutes(deps: AgentRoutesDeps): Hono {
  const app = new Hono()
  // Read at each request: an admin may move the site's zone while the server runs.
  const time = () => deps.live.engine.settings.time
  const agents = (): AgentLive => {
    const board = deps.live.agents
    if (board === undefined) throw new Error('this server keeps no agent board')
    return board
  }
  const limit = bodyLimit({
    maxSize: deps.maxBodyBytes,
    onError: (c) => c.json({ error: `body larger than ${deps.maxBodyBytes} bytes` }, 413),
  })

  // Answers once this server holds the change, so a read right after shows it.
  const saved = async (c: Context, write: ConfigWrite, extra: object = {}) => {
    await agents().waitForVersion(write.version)
    return c.json({ version: write.version, ...extra })
  }

  app.get('/agents', (c) => {
    const { window, filter } = parseAgentQuery(c.req.query())
    return c.json(deps.live.agentSnapshot(window, scopeAgentFilter(principalOf(c), filter)))
  })

  app.get('/teams', (c) => c.json(agents().config.teams))
  app.put('/teams', limit, (c) =>
    refusing(c, async () => {
      const teams = readTeams(await readJson(c))
      const kept = new Set(teams.map((team) => team.id))
      const orphans = agents().config.roster.filter((a) => a.team && !kept.has(a.team))
      if (orphans.length > 0) {
        const names = orphans.map((agent) => agent.id).join(', ')
        throw new UploadError([{ reason: `agents ${names} are still in teams left out` }])
      }
      return saved(c, await deps.store.saveTeams(teams), { teams: teams.length })
    }),
  )

  app.get('/roster', (c) => c.json(agents().config.roster))
  app.put('/roster', limit, (c) =>
    refusing(c, async () => {
      const roster = readRoster(await readJson(c), agents().config.teams)
      return saved(c, await deps.store.saveRoster(roster), { agents: roster.length })
    }),
  )

  app.get('/agent-rules', (c) => c.json(agents().config.rules))
  app.put('/agent-rules', limit, (c) =>
    refusing(c, async () => {
      const rules = readRules(await readJson(c))
      return saved(c, await deps.store.saveRules(rules))
    }),
  )

  app.post('/schedules', limit, (c) => refusing(c, () => importSchedules(c, deps, agents())))

  app.get('/schedules', async (c) => {
    const { date, agent } = parseQuery(ScheduleQuerySchema, c.req.query())
    const stored = await deps.store.readSchedules(date)
    const rows = [...stored]
      .filter(([id]) => agent === undefined || id === agent)
      .flatMap(([id, activities]) =>
        activities.map((a) => ({
          agent: id,
          date,
          activity: a.activity,
          start: localTime(a.start, time()),
          end: localTime(a.end, time()),
        })),
      )
    return c.json(rows)
  })

  app.delete('/schedules', async (c) => {
    const { date, agent } = parseQuery(ScheduleQuerySchema, c.req.query())
    if (agent === undefined)
      throw new InputError('expected the agent whose day to remove', undefined, 'agent')

    const write = await deps.store.saveSchedules(new Map([[date, new Map([[agent, []]])]]))
    return saved(c, write)
  })
  return app
}

async function importSchedules(c: Context, deps: AgentRoutesDeps, agents: AgentLive) {
  const body = await c.req.text()
  const type = c.req.header('content-type') ?? ''
  const isJson =
    type.includes('json') || (!type.includes('csv') && body.trimStart().startsWith('['))
  const rows = isJson ? readJsonRows(body) : readCsvRows(body)

  const config = agents.config
  const upload = buildSchedule(rows, {
    time: deps.live.engine.settings.time,
    activities: Object.keys(config.rules.activities),
    resolve: (name) => agents.resolve(name),
    isKnownAgent: (id) => agents.isKnownAgent(id),
  })

  const stored = new Map<string, Awaited<ReturnType<AgentConfigStore['readSchedules']>>>()
  for (const day of neighbourDays(upload.days).keys()) {
    stored.set(day, await deps.store.readSchedules(day))
  }
  const tz = deps.live.engine.settings.time.tz
  checkOverlaps(upload, (day, agent) => stored.get(day)?.get(agent), tz)

  const write = await deps.store.saveSchedules(upload.days)
  await agents.waitForVersion(write.version)
  return c.json({
    version: write.version,
    days: upload.days.size,
    agentDays: [...upload.days.values()].reduce((sum, day) => sum + day.size, 0),
    activities: upload.activities.length,
  })
}

/** Runs a change; a refused upload answers 400 with every problem and stores nothing. */
async function refusing(c: Context, run: () => Promise<Response>): Promise<Response> {
  try {
    return await run()
  } catch (error) {
    if (!(error instanceof UploadError)) throw error
    return c.json({ error: error.message, errors: error.problems.slice(0, 100) }, 400)
  }
}

async function readJson(c: Context): Promise<unknown> {
  const body = await c.req.text()
  try {
    return JSON.parse(body)
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error
    throw new UploadError([{ reason: `not valid JSON: ${error.message}` }])
  }
}

function localTime(ms: number, time: TimeSettings): string {
  return DateTime.fromMillis(ms, { zone: time.tz }).toFormat('yyyy-MM-dd HH:mm')
}

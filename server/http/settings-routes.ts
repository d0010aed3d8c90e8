/**
 * The settings API: anyone who may see the wall may read the settings it is judged by;
 * only an admin may change them (auth/permissions.ts), and every change is in the audit.
 * A change is checked whole (a 400 names every wrong field), written from the version it
 * was made on (a 409 when someone else wrote in between), and answered once this server
 * counts by it; other servers follow at the same place in the event stream. Saving what is
 * stored already writes nothing.
 */
import { Hono, type Context } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { z } from 'zod'
import { SettingsSchema } from '../../shared/settings.ts'
import { principalOf } from '../auth/access.ts'
import { ANONYMOUS, limitsOf } from '../auth/roles.ts'
import type { LiveFigures } from '../live/live-figures.ts'
import { diffSettings } from '../settings/settings-diff.ts'
import type { Actor, SettingsStore } from '../settings/settings-store.ts'
import { VersionConflictError } from '../store/control-write.ts'
import { parseFields } from '../zod-words.ts'
import { parseJsonBody } from './json-body.ts'

/** A settings document is small; this leaves room for a thousand queue rows. */
const MAX_BODY_BYTES = 512 * 1024

const PutSchema = SettingsSchema.extend({
  /** The version the change was made on; the current one when left out. */
  version: z.number().int().min(0).optional(),
})

export function settingsRoutes(deps: { live: LiveFigures; store: SettingsStore }): Hono {
  const app = new Hono()
  const settings = deps.live.settings
  const limit = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: (c) => c.json({ error: `body larger than ${MAX_BODY_BYTES} bytes` }, 413),
  })

  app.get('/settings', (c) => {
    // A viewer limited to some queues sees their rows only: the others name queues beyond it.
    const allowed = limitsOf(principalOf(c))?.queues
    const current = settings.current
    if (allowed === undefined) return c.json(current)

    const queues = Object.entries(current.queues).filter(([name]) => allowed.includes(name))
    return c.json({ ...current, queues: Object.fromEntries(queues) })
  })

  app.get('/settings/audit', async (c) => c.json({ entries: await deps.store.audit() }))

  app.put('/settings', limit, async (c) => {
    const body = parseJsonBody(await c.req.text(), 'a settings document')
    const { version, ...next } = parseFields(PutSchema, body)
    const before = settings.current

    // Nothing to change: a new version would only add an empty audit entry and give every
    // other admin's open form a 409 for nothing.
    if (diffSettings(before, next).length === 0) return c.json({ ...before, unchanged: true })
    if (version !== undefined && version !== before.version) return conflict(c, before.version)

    try {
      const written = await deps.store.save(before, next, actorOf(c))
      await settings.waitForVersion(written.version)
      return c.json(settings.current)
    } catch (error) {
      if (error instanceof VersionConflictError) return conflict(c, error.current)
      throw error
    }
  })
  return app
}

/** "open access" when nobody is asked for a token (CALLBOARD_AUTH=off). */
function actorOf(c: Context): Actor {
  const principal = principalOf(c)
  if (principal === ANONYMOUS) return { name: 'open access', role: 'admin' }
  return { name: principal.name, role: principal.role }
}

function conflict(c: Context, current: number): Response {
  const error = `the settings were changed meanwhile (now version ${current}); reload and retry`
  return c.json({ error, version: current }, 409)
}

/**
 * Screens: GET /api/v1/screens and /screens/:name for any screen's token, PUT and DELETE
 * for admins, and /ws/screen?name=… that sends a TV its screen at once and again on every
 * change. A viewer limited to some queues gets the pages cut to them, as its figures are.
 */
import { upgradeWebSocket } from '@hono/node-server'
import { Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import type { WebSocket } from 'ws'
import { HEARTBEAT_MS } from '../../shared/protocol.ts'
import type { Screen, ScreenMessage, ScreenPage } from '../../shared/screens.ts'
import { principalOf } from '../auth/access.ts'
import { limitsOf, type Principal } from '../auth/roles.ts'
import type { ScreenLive } from '../screens/screen-live.ts'
import { readScreenLayout, readScreenName } from '../screens/screen-schema.ts'
import { parseJsonBody } from './json-body.ts'

/** Policy violation: the server will not serve this client any more. */
const CLOSE_REVOKED = 1008
const MAX_LAYOUT_BYTES = 64 * 1024

export function screenRoutes(screens: ScreenLive): Hono {
  const app = new Hono()
  const limit = bodyLimit({
    maxSize: MAX_LAYOUT_BYTES,
    onError: (c) => c.json({ error: `body larger than ${MAX_LAYOUT_BYTES} bytes` }, 413),
  })

  app.get('/screens', (c) => {
    const principal = principalOf(c)
    return c.json(screens.list().map((screen) => shownTo(principal, screen)))
  })

  app.get('/screens/:name', (c) => {
    const name = readScreenName(c.req.param('name'))
    const screen = screens.get(name)
    if (screen === null) return c.json({ error: `no screen named ${name}` }, 404)
    return c.json(shownTo(principalOf(c), screen))
  })

  app.put('/screens/:name', limit, async (c) => {
    const name = readScreenName(c.req.param('name'))
    const change = readScreenLayout(parseJsonBody(await c.req.text(), 'a screen layout'))
    const principal = principalOf(c)
    const by = principal.id === 'anonymous' ? (change.by ?? principal.name) : principal.name

    const write = await screens.store.save(name, change, by, change.revision)
    if (write.outcome === 'conflict') {
      const now = `now revision ${write.revision}`
      const error = `screen ${name} was changed meanwhile (${now}); read it again, change that`
      return c.json({ error, field: 'revision', revision: write.revision }, 409)
    }
    if (write.outcome === 'written') await screens.waitForVersion(write.version)
    return c.json(screens.get(name))
  })

  app.delete('/screens/:name', async (c) => {
    const name = readScreenName(c.req.param('name'))
    const write = await screens.store.remove(name)
    if (write.outcome === 'missing') return c.json({ error: `no screen named ${name}` }, 404)

    if (write.outcome === 'written') await screens.waitForVersion(write.version)
    return c.body(null, 204)
  })
  return app
}

/** `/ws/screen?name=…`: the screen now, then whenever it changes; heartbeats between. */
export function screenSocketRoutes(screens: ScreenLive): Hono {
  const app = new Hono()

  app.get(
    '/ws/screen',
    upgradeWebSocket((c) => {
      const name = readScreenName(c.req.query('name') ?? '')
      const principal = principalOf(c)
      const onRevoked = c.get('onRevoked') ?? (() => () => {})
      let remove = () => {}

      return {
        onOpen: (_event, ws) => {
          const socket = ws.raw as WebSocket
          const send = (screen: Screen | null) => {
            const shown = screen === null ? null : shownTo(principal, screen)
            const message: ScreenMessage = { type: 'screen', asOf: Date.now(), name, screen: shown }
            socket.send(JSON.stringify(message))
          }
          const heartbeat = setInterval(() => {
            socket.send(JSON.stringify({ type: 'heartbeat', asOf: Date.now(), streamId: '' }))
          }, HEARTBEAT_MS)
          const stopFollowing = screens.follow(name, send)
          const stopWatching = onRevoked(() => socket.close(CLOSE_REVOKED, 'token revoked'))

          send(screens.get(name))
          remove = () => {
            clearInterval(heartbeat)
            stopFollowing()
            stopWatching()
          }
        },
        onClose: () => remove(),
        onError: () => remove(),
      }
    }),
  )
  return app
}

/**
 * A screen as a principal may see it: a limited viewer's pages keep only its queues and
 * teams, and a page left with none of those it named is dropped.
 */
export function shownTo(principal: Principal, screen: Screen): Screen {
  const limits = limitsOf(principal)
  if (limits === null) return screen

  const cut = (names: string[] | null, allowed: readonly string[] | undefined) =>
    names === null || allowed === undefined ? names : names.filter((n) => allowed.includes(n))
  const pages = screen.pages.flatMap((page): ScreenPage[] => {
    const queues = cut(page.queues, limits.queues)
    if (queues !== null && queues.length === 0) return []
    if (page.kind === 'queues') return [{ ...page, queues }]

    const teams = cut(page.teams, limits.teams)
    return teams !== null && teams.length === 0 ? [] : [{ ...page, queues, teams }]
  })
  return { ...screen, pages }
}

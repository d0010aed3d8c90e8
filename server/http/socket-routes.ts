/**
 * The WebSocket endpoints: /ws for the queue wall (with `alerts=1`, the open incidents
 * too) and /ws/agents for the agent board. What a socket shows is cut to its token's
 * scope before it joins a group, and a socket whose token is revoked is closed.
 */
import { upgradeWebSocket } from '@hono/node-server'
import { Hono, type Context } from 'hono'
import type { WebSocket } from 'ws'
import type { AlertsMessage } from '../../shared/protocol.ts'
import type { AlertService } from '../alerts/alert-service.ts'
import { principalOf } from '../auth/access.ts'
import { limitsOf, type Principal } from '../auth/roles.ts'
import { scopeAgentFilter, scopeQueues, seesIncident } from '../auth/scope.ts'
import type { Hub, Subscription } from '../live/hub.ts'
import type { LiveFigures } from '../live/live-figures.ts'
import { parseAgentQuery } from './agent-routes.ts'
import { parseSubscription } from './read-routes.ts'

export interface SocketDeps {
  hub: Hub
  live: LiveFigures
  alerts?: AlertService
}

/** Policy violation: the server will not serve this client any more. */
const CLOSE_REVOKED = 1008

export function socketRoutes(deps: SocketDeps): Hono {
  const app = new Hono()

  const socket = (subscribe: (c: Context, principal: Principal) => Subscription) =>
    upgradeWebSocket((c) => {
      const principal = principalOf(c)
      const subscription = subscribe(c, principal)
      const onRevoked = c.get('onRevoked') ?? (() => () => {})
      // Only a client that asks for them gets `alerts` messages, so none meets a type it
      // does not know.
      const alerts = c.req.query('alerts') === '1' ? deps.alerts : undefined
      const shownAlerts = alertsFilter(principal, deps.live)
      let remove = () => {}

      return {
        onOpen: (_event, ws) => {
          const socket = ws.raw as WebSocket
          const leave = deps.hub.add(
            {
              // As text: the wall reads strings; ws sends a Buffer as binary unless told.
              send: (data) => socket.send(data, { binary: false }),
              bufferedAmount: () => socket.bufferedAmount,
              close: () => socket.terminate(),
            },
            subscription,
          )
          const stopAlerts = alerts?.addClient({ send: (data) => socket.send(shownAlerts(data)) })
          const stopWatching = onRevoked(() => socket.close(CLOSE_REVOKED, 'token revoked'))
          remove = () => {
            leave()
            stopAlerts?.()
            stopWatching()
          }
        },
        onClose: () => remove(),
        onError: () => remove(),
      }
    })

  app.get(
    '/ws',
    socket((c, principal) => {
      const { window, queues } = parseSubscription(c.req.query())
      return { window, queues: scopeQueues(principal, queues) }
    }),
  )
  app.get(
    '/ws/agents',
    socket((c, principal) => {
      const { window, filter } = parseAgentQuery(c.req.query())
      return { window, agents: scopeAgentFilter(principal, filter) }
    }),
  )
  return app
}

/** Rewrites an alerts message to the incidents a principal may see; unlimited: as it is. */
function alertsFilter(principal: Principal, live: LiveFigures): (data: string) => string {
  if (limitsOf(principal) === null) return (data) => data

  return (data) => {
    const message = JSON.parse(data) as AlertsMessage
    // The board is read only when an agent's incident needs it.
    let agents: Set<string> | undefined
    const seesAgent = (id: string) => {
      const board = agents ? null : live.agentSnapshot('today', scopeAgentFilter(principal, {}))
      agents ??= new Set(board?.agents.map((agent) => agent.id) ?? [])
      return agents.has(id)
    }
    const incidents = message.incidents.filter((incident) =>
      seesIncident(principal, incident, seesAgent),
    )
    return JSON.stringify({ ...message, incidents } satisfies AlertsMessage)
  }
}

/**
 * The access check in front of every route: a browser's Origin must be this server's (or
 * one allowed in CALLBOARD_ORIGINS), and the route's need (permissions.ts) must be met by
 * the token's role. Tokens come as `Authorization: Bearer …`; as the session cookie the
 * wall's pages get from POST /api/v1/auth/session, so their fetches, sockets and download
 * links need no code of their own; or as `?token=` on the WebSocket paths, for other
 * clients that cannot set headers on a socket.
 */
import type { Context, MiddlewareHandler } from 'hono'
import { getCookie } from 'hono/cookie'
import { isLoopbackName } from '../config.ts'
import type { Logger } from '../logger.ts'
import type { Authenticator } from './authenticator.ts'
import { needOf, takesTokenInQuery } from './permissions.ts'
import { ANONYMOUS, grants, type Principal } from './roles.ts'

declare module 'hono' {
  interface ContextVariableMap {
    /** Who is calling; ANONYMOUS (an admin) while access control is off. */
    principal: Principal
    /** Calls `listener` once when the caller's token is revoked; for open sockets. */
    onRevoked: (listener: () => void) => () => void
  }
}

export interface AccessOptions {
  /** null: access control is off (CALLBOARD_AUTH=off), every caller may do everything. */
  auth: Authenticator | null
  /** Origins allowed besides the server's own, e.g. `https://wall.example.com`. */
  origins: readonly string[]
  /**
   * Only requests naming a loopback host, or one of `hosts`, are served: the server
   * listens on loopback, so any other name was pointed here by someone else's DNS.
   */
  loopbackOnly: boolean
  hosts: readonly string[]
  logger: Logger
}

export function accessControl(options: AccessOptions): MiddlewareHandler {
  const { auth, logger } = options
  const origins = new Set(options.origins.map((origin) => origin.toLowerCase()))
  const hosts = new Set(options.hosts)

  return async (c, next) => {
    const host = c.req.header('host')
    if (options.loopbackOnly && !namesLoopback(host, hosts)) {
      logger.warn({ event: 'host_refused', component: 'auth', host, path: c.req.path })
      const error =
        `host ${host ?? '(none)'} is not this server, which listens on loopback; ` +
        'a proxy in front that passes its own host name on names it in CALLBOARD_HOSTS'
      return c.json({ error }, 403)
    }

    const origin = c.req.header('origin')
    if (origin !== undefined && !sameSite(origin, c.req.header('host'), origins)) {
      logger.warn({ event: 'origin_refused', component: 'auth', origin, path: c.req.path })
      const error = `origin ${origin} is not allowed here; add it to CALLBOARD_ORIGINS`
      return c.json({ error }, 403)
    }

    const need = needOf(c.req.method, c.req.path)
    if (auth === null || need === 'public') {
      c.set('principal', ANONYMOUS)
      c.set('onRevoked', () => () => {})
      return next()
    }

    const token = tokenOf(c)
    if (token === undefined) return refuse(c, 401, 'send a token: Authorization: Bearer <token>')
    const principal = await auth.verify(token)
    if (principal === null) return refuse(c, 401, 'unknown or revoked token')
    if (!grants(principal.role, need)) {
      return refuse(c, 403, `the ${principal.role} token may not ${c.req.method} ${c.req.path}`)
    }

    c.set('principal', principal)
    c.set('onRevoked', (listener) => auth.onRevoked(token, listener))
    return next()
  }
}

/** The caller's principal; routes behind accessControl always have one. */
export function principalOf(c: Context): Principal {
  return c.get('principal') ?? ANONYMOUS
}

/** The cookie that carries a browser page's token; HttpOnly, SameSite=Strict. */
export const SESSION_COOKIE = 'callboard_session'

export function tokenOf(c: Context): string | undefined {
  const header = c.req.header('authorization')
  const bearer = header === undefined ? undefined : /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1]
  if (bearer !== undefined) return bearer
  const cookie = getCookie(c, SESSION_COOKIE)
  if (cookie) return cookie
  return takesTokenInQuery(c.req.path) ? c.req.query('token') || undefined : undefined
}

function refuse(c: Context, status: 401 | 403, error: string): Response {
  if (status === 401) c.header('WWW-Authenticate', 'Bearer realm="callboard"')
  return c.json({ error }, status)
}

function namesLoopback(host: string | undefined, allowed: ReadonlySet<string>): boolean {
  if (host === undefined) return false
  try {
    const name = new URL(`http://${host}`).hostname
    return isLoopbackName(name) || allowed.has(name)
  } catch {
    return false
  }
}

/** Whether a browser's Origin is this server itself (same host and port) or allowed. */
function sameSite(origin: string, host: string | undefined, allowed: ReadonlySet<string>) {
  if (allowed.has(origin.toLowerCase())) return true
  try {
    // The scheme is left out: behind a TLS proxy the page is https and we see http.
    return host !== undefined && new URL(origin).host === host.toLowerCase()
  } catch {
    return false
  }
}

/**
 * Access endpoints: who am I, tokens (made, listed, revoked by an admin), and pairing a TV:
 * an admin makes a short code, the TV's /pair page trades it once for a viewer token.
 */
import { getConnInfo } from '@hono/node-server/conninfo'
import { Hono, type Context } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { deleteCookie, setCookie } from 'hono/cookie'
import { z } from 'zod'
import { SCREEN_NAME } from '../../shared/screens.ts'
import { principalOf, SESSION_COOKIE, tokenOf } from '../auth/access.ts'
import type { Authenticator } from '../auth/authenticator.ts'
import type { RateLimiter } from '../auth/rate-limit.ts'
import { ROLES, ScopeSchema } from '../auth/roles.ts'
import type { TokenStore } from '../auth/token-store.ts'
import { parseFields } from '../zod-words.ts'
import { parseJsonBody } from './json-body.ts'

export interface AuthRoutesDeps {
  tokens: TokenStore
  /** Told of a revocation, so this process's sockets of that token close at once. */
  auth: Authenticator | null
  /** Limits pairing tries per address, so nobody can walk through the codes. */
  pairingLimiter: RateLimiter
}

const PAIRING_TTL_SECONDS = 15 * 60
/** Browsers keep a cookie 400 days at most; each page load renews it. */
const SESSION_SECONDS = 400 * 86_400
const BODY_BYTES = 64 * 1024

const Name = z.string().trim().min(1).max(100)

const NewTokenSchema = z
  .object({ role: z.enum(ROLES), name: Name })
  .extend(ScopeSchema.shape)
  .strict()
  .refine((spec) => spec.role === 'viewer' || (!spec.queues && !spec.teams), {
    message: 'only a viewer token is limited to queues or teams',
    path: ['role'],
  })

const NewPairingSchema = z
  .object({
    name: Name,
    /** The page the TV opens once paired; only a path on this server. */
    path: z
      .string()
      .max(2000)
      .regex(/^\/(?![/\\])\S*$/, 'expected a path on this server, like /?queues=Sales')
      .optional(),
    /** The named screen the TV shows once paired: a path of `/?screen=<name>`. */
    screen: z.string().regex(SCREEN_NAME, 'expected a screen name, like floor-2-tv').optional(),
  })
  .extend(ScopeSchema.shape)
  .strict()
  .refine((spec) => spec.path === undefined || spec.screen === undefined, {
    message: 'give either a path or a screen, not both',
    path: ['screen'],
  })

const RedeemSchema = z.object({ code: z.string().min(1).max(50) }).strict()

export function authRoutes(deps: AuthRoutesDeps): Hono {
  const app = new Hono()
  const { tokens } = deps
  const limit = bodyLimit({
    maxSize: BODY_BYTES,
    onError: (c) => c.json({ error: `body larger than ${BODY_BYTES} bytes` }, 413),
  })

  app.get('/auth/me', (c) => c.json(principalOf(c)))

  // A page trades its token (sent as a header) for a cookie that the browser then sends
  // with every request and socket of the page. Strict same-site: never sent from another.
  app.post('/auth/session', (c) => {
    const principal = principalOf(c)
    const token = tokenOf(c)
    if (principal.id === 'anonymous' || token === undefined) {
      deleteCookie(c, SESSION_COOKIE, { path: '/' })
      return c.json(principal)
    }
    setCookie(c, SESSION_COOKIE, token, {
      path: '/',
      httpOnly: true,
      sameSite: 'Strict',
      secure: isHttps(c),
      maxAge: SESSION_SECONDS,
    })
    return c.json(principal)
  })

  app.get('/tokens', async (c) => c.json(await tokens.list()))

  app.post('/tokens', limit, async (c) => {
    const { role, name, queues, teams } = await readBody(c, NewTokenSchema)
    const createdBy = principalOf(c).name
    const made = await tokens.create({ role, name, scope: { queues, teams }, createdBy })
    return c.json({ token: made.token, ...made.record }, 201)
  })

  app.delete('/tokens/:id', async (c) => {
    const id = c.req.param('id')
    const revoked = await tokens.revoke(id)
    if (revoked) deps.auth?.revoked(id)
    return revoked ? c.body(null, 204) : c.json({ error: 'no such token' }, 404)
  })

  app.post('/pairings', limit, async (c) => {
    const { name, queues, teams, ...where } = await readBody(c, NewPairingSchema)
    const path = where.screen === undefined ? (where.path ?? '/') : `/?screen=${where.screen}`
    const pairing = { name, path, scope: { queues, teams }, createdBy: principalOf(c).name }
    const code = await tokens.createPairing(pairing, PAIRING_TTL_SECONDS)
    return c.json({ code, expiresAt: Date.now() + PAIRING_TTL_SECONDS * 1000, name, path }, 201)
  })

  app.post('/pair', limit, async (c) => {
    const address = getConnInfo(c).remote.address ?? 'unknown'
    const take = await deps.pairingLimiter.take(`pair:${address}`)
    if (!take.allowed) {
      c.header('Retry-After', String(take.retryAfterSeconds))
      return c.json({ error: 'too many pairing tries from this address; wait' }, 429)
    }

    const { code } = await readBody(c, RedeemSchema)
    const pairing = await tokens.redeemPairing(code)
    if (pairing === null) return c.json({ error: 'unknown, used or expired code' }, 404)

    const { name, scope, path, createdBy } = pairing
    const made = await tokens.create({ role: 'viewer', name, scope, createdBy })
    return c.json({ token: made.token, id: made.record.id, name, path }, 201)
  })
  return app
}

/** The JSON body checked against `schema`; a refusal names every wrong field. */
async function readBody<T extends z.ZodType>(c: Context, schema: T): Promise<z.infer<T>> {
  return parseFields(schema, parseJsonBody(await c.req.text(), 'a JSON object'))
}

/** Whether the page was served over https, here or at a TLS proxy in front of us. */
function isHttps(c: Context): boolean {
  return new URL(c.req.url).protocol === 'https:' || c.req.header('x-forwarded-proto') === 'https'
}

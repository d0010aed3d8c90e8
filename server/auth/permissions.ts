/**
 * What each route needs, in one table. A route not listed needs an admin under /api and
 * /ws, so a route added later is closed until someone opens it here; the wall's own files
 * are public, as they hold no figures.
 */
import type { Need } from './roles.ts'

type Rule = [methods: readonly string[], path: RegExp, need: Need]

const READ = ['GET', 'HEAD']

const RULES: readonly Rule[] = [
  [READ, /^\/healthz$/, 'public'],
  [['POST'], /^\/api\/v1\/pair$/, 'public'],
  [READ, /^\/api\/v1\/auth\/me$/, 'token'],
  [['POST'], /^\/api\/v1\/auth\/session$/, 'token'],
  [['POST'], /^\/api\/v1\/events(\/asterisk)?$/, 'ingest'],
  // The calls behind a figure and the intraday series: figures, so a viewer's, scoped.
  [READ, /^\/api\/v1\/(calls|intraday)$/, 'viewer'],
  [
    READ,
    /^\/api\/v1\/(snapshot|agents|service-level\/today|intervals(\/today)?|report\.csv)$/,
    'viewer',
  ],
  // The wall's viewers may see what they are judged by; changes and their trail are admins'.
  [READ, /^\/api\/v1\/settings$/, 'viewer'],
  [['PUT'], /^\/api\/v1\/settings$/, 'admin'],
  [READ, /^\/api\/v1\/settings\/audit$/, 'admin'],
  [READ, /^\/ws(\/agents|\/screen)?$/, 'viewer'],
  [READ, /^\/api\/v1\/screens(\/[^/]+)?$/, 'viewer'],
  [['PUT', 'DELETE'], /^\/api\/v1\/screens\/[^/]+$/, 'admin'],
  [
    READ,
    /^\/api\/v1\/(incidents(\/[^/]+)?|alert-rules|teams|roster|agent-rules|schedules)$/,
    'supervisor',
  ],
  [['POST'], /^\/api\/v1\/incidents\/[^/]+\/(acknowledge|snooze)$/, 'supervisor'],
]

export function needOf(method: string, path: string): Need {
  for (const [methods, pattern, need] of RULES) {
    if (methods.includes(method) && pattern.test(path)) return need
  }
  return /^\/(api|ws)(\/|$)/.test(path) ? 'admin' : 'public'
}

/** Where a browser may pass its token in the address: WebSocket has no headers to set. */
export function takesTokenInQuery(path: string): boolean {
  return /^\/ws(\/agents|\/screen)?$/.test(path)
}

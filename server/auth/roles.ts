/**
 * Who may do what. A token has one role; a viewer's may be limited to some queues and
 * teams. Roles nest: an admin may do what a supervisor may, a supervisor what a viewer may.
 * Ingest stands apart: a PBX's tail posts events and reads nothing.
 */
import { z } from 'zod'

export const ROLES = ['ingest', 'viewer', 'supervisor', 'admin'] as const
export type Role = (typeof ROLES)[number]

/** What a route needs: a role, or any valid token (`token`), or nothing (`public`). */
export type Need = Role | 'token' | 'public'

const NAMES = z.array(z.string().trim().min(1).max(200)).min(1).max(1000)

/** The queues and teams a viewer may see; a list left out means all of them. */
export const ScopeSchema = z
  .object({
    queues: NAMES.optional(),
    teams: NAMES.optional(),
  })
  .strict()
export type Scope = z.infer<typeof ScopeSchema>

/** The holder of a token, as the routes see it. */
export interface Principal {
  id: string
  name: string
  role: Role
  /** Only a viewer's scope limits anything; supervisors and admins see every queue. */
  scope: Scope
}

/** Whoever calls while access control is off (`CALLBOARD_AUTH=off`): may do anything. */
export const ANONYMOUS: Principal = { id: 'anonymous', name: 'anonymous', role: 'admin', scope: {} }

const RANK: Record<Exclude<Role, 'ingest'>, number> = { viewer: 1, supervisor: 2, admin: 3 }

/** Whether `role` may do what needs `need`. */
export function grants(role: Role, need: Need): boolean {
  if (need === 'public' || need === 'token') return true
  if (need === 'ingest') return role === 'ingest' || role === 'admin'
  if (role === 'ingest') return false
  return RANK[role] >= RANK[need]
}

/** The scope that limits what a principal sees, or null when it sees everything. */
export function limitsOf(principal: Principal): Scope | null {
  if (principal.role !== 'viewer') return null
  const { queues, teams } = principal.scope
  return queues === undefined && teams === undefined ? null : principal.scope
}

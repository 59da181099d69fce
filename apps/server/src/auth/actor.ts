import { isWithinRegion, type Permission, permissionsOf, type Role } from '@yimen/core';
import { AppError } from '../errors.ts';

/** Who is acting: a signed-in staff member or citizen, resolved once per request. */
export interface Actor {
  userId: string;
  kind: 'staff' | 'citizen';
  name: string;
  username: string | null;
  roles: Role[];
  permissions: Set<Permission>;
  /** Staff only: where they work. Their jurisdiction is this point's region subtree. */
  servicePoint: { id: string; code: string; name: string; regionCode: string } | null;
  department: string | null;
  /** Citizens only: the resident the account belongs to, when linked. */
  residentId: string | null;
  sessionId: string;
  authMethod: 'cookie' | 'bearer';
}

/** Request facts that go into the audit trail with every act. */
export interface RequestMeta {
  requestId: string;
  ip: string | null;
}

export function hasPermission(actor: Actor, permission: Permission): boolean {
  return actor.permissions.has(permission);
}

/** 403 when the role lacks the permission altogether: the caller may know the endpoint exists. */
export function requirePermission(actor: Actor, permission: Permission): void {
  if (!actor.permissions.has(permission)) {
    throw new AppError('FORBIDDEN', { permission });
  }
}

/** The region code of the actor's jurisdiction, or null for "everywhere" (system_admin). */
export function jurisdictionOf(actor: Actor): string | null {
  if (actor.roles.includes('system_admin')) return null;
  return actor.servicePoint?.regionCode ?? '__none__';
}

export function inJurisdiction(actor: Actor, regionCode: string | null | undefined): boolean {
  const root = jurisdictionOf(actor);
  if (root === null) return true;
  return typeof regionCode === 'string' && isWithinRegion(regionCode, root);
}

export function rolesOf(roles: Role[]): { roles: Role[]; permissions: Set<Permission> } {
  return { roles, permissions: permissionsOf(roles) };
}

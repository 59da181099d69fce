import { grantableBy, type Role, type User } from '@yimen/core';
import type { AppContext } from '../../app-context.ts';
import {
  type Actor,
  inJurisdiction,
  jurisdictionOf,
  type RequestMeta,
  requirePermission,
} from '../../auth/actor.ts';
import type { Db } from '../../db/connection.ts';
import { AppError } from '../../errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { parseRegionCode } from '../regions/regions.service.ts';
import { findServicePoint } from '../service-points/service-points.repo.ts';
import { presentUser } from './accounts.presenter.ts';
import { hashPassword, validateNewPassword } from './passwords.ts';
import { revokeSessions } from './sessions.repo.ts';
import * as repo from './users.repo.ts';

function requireGrantable(actor: Actor, roles: Role[]): void {
  const allowed = grantableBy(actor.roles);
  for (const role of roles)
    if (!allowed.has(role)) throw new AppError('ROLE_NOT_GRANTABLE', { role });
}

/** A service point the admin may place staff at: inside their jurisdiction, else "not found". */
async function requireServicePoint(db: Db, actor: Actor, code: string) {
  const sp = await findServicePoint(db, code);
  if (!sp || !inJurisdiction(actor, sp.region_code))
    throw new AppError('SERVICE_POINT_NOT_FOUND', { code });
  return sp;
}

async function requireUser(db: Db, actor: Actor, id: string): Promise<repo.UserRow> {
  const user = await repo.findStaffUser(db, id);
  if (!user || !inJurisdiction(actor, user.sp_region)) throw new AppError('USER_NOT_FOUND');
  return user;
}

export async function listUsers(
  ctx: AppContext,
  actor: Actor,
  query: {
    within?: string | undefined;
    role?: Role | undefined;
    q?: string | undefined;
    servicePointCode?: string | undefined;
    active?: boolean | undefined;
    limit: number;
    cursor?: string | undefined;
  },
) {
  requirePermission(actor, 'user.manage');
  const root = jurisdictionOf(actor);
  let within = root;
  if (query.within) {
    const code = parseRegionCode(query.within);
    if (!inJurisdiction(actor, code)) throw new AppError('REGION_NOT_FOUND', { code });
    within = code;
  }
  const rows = await repo.listStaffUsers(
    ctx.database.db,
    {
      within,
      role: query.role,
      q: query.q,
      servicePointCode: query.servicePointCode,
      active: query.active,
    },
    query.limit + 1,
    query.cursor,
  );
  const items = rows.slice(0, query.limit).map(presentUser);
  return {
    items,
    nextCursor: rows.length > query.limit ? (items[items.length - 1]?.username ?? null) : null,
  };
}

export async function getUser(ctx: AppContext, actor: Actor, id: string): Promise<User> {
  requirePermission(actor, 'user.manage');
  return presentUser(await requireUser(ctx.database.db, actor, id));
}

interface NewUser {
  username: string;
  displayName: string;
  password: string;
  servicePointCode: string;
  roles: Role[];
  department?: string | undefined;
}

/**
 * Checks that the actor may create the account and that its password keeps the policy;
 * answers the password's hash, made before the unit of work so that argon2's time does not
 * hold a transaction.
 */
export async function checkNewUser(actor: Actor, input: NewUser): Promise<string> {
  requirePermission(actor, 'user.manage');
  requireGrantable(actor, input.roles);
  const password = validateNewPassword(input.password, input.username, undefined, 'body.password');
  return hashPassword(password);
}

/** Creates the staff account `checkNewUser` accepted, with its password's hash. */
export async function createUser(
  trx: Db,
  actor: Actor,
  meta: RequestMeta,
  input: NewUser,
  passwordHash: string,
): Promise<User> {
  const sp = await requireServicePoint(trx, actor, input.servicePointCode);
  if (await repo.usernameTaken(trx, input.username))
    throw new AppError('USERNAME_TAKEN', { username: input.username });
  const id = await repo.insertStaffUser(trx, {
    username: input.username,
    displayName: input.displayName,
    passwordHash,
    servicePointId: sp.id,
    department: input.department ?? null,
  });
  await repo.setRoles(trx, id, input.roles);
  return recordUserChange(trx, actor, meta, 'user.create', id);
}

/** The account as it now stands, written to the trail with what it was before a change. */
async function recordUserChange(
  trx: Db,
  actor: Actor,
  meta: RequestMeta,
  action: 'user.create' | 'user.update',
  id: string,
  before?: User,
): Promise<User> {
  const after = presentUser((await repo.findStaffUser(trx, id))!);
  await recordAudit(trx, {
    actor,
    meta,
    action,
    targetType: 'user',
    targetId: id,
    regionCode: after.servicePoint.regionCode,
    before,
    after,
  });
  return after;
}

interface UserChange {
  displayName?: string | undefined;
  roles?: Role[] | undefined;
  active?: boolean | undefined;
  servicePointCode?: string | undefined;
  department?: string | null | undefined;
}

export async function updateUser(
  trx: Db,
  actor: Actor,
  meta: RequestMeta,
  id: string,
  input: UserChange,
): Promise<User> {
  requirePermission(actor, 'user.manage');
  if (input.roles) requireGrantable(actor, input.roles);
  const current = await requireUser(trx, actor, id);
  // Nobody edits an account holding a role they could not have granted themselves.
  requireGrantable(actor, current.roles);
  const before = presentUser(current);
  await repo.updateUserRow(trx, id, await userPatch(trx, actor, input));
  if (input.roles) await repo.setRoles(trx, id, input.roles);
  if (input.active === false || input.roles || input.servicePointCode)
    await revokeSessions(trx, id);
  return recordUserChange(trx, actor, meta, 'user.update', id, before);
}

async function userPatch(trx: Db, actor: Actor, input: UserChange) {
  const patch: Parameters<typeof repo.updateUserRow>[2] = {};
  if (input.displayName !== undefined) patch.display_name = input.displayName;
  if (input.active !== undefined) patch.active = input.active;
  if (input.department !== undefined) patch.department = input.department;
  if (input.servicePointCode !== undefined)
    patch.service_point_id = (await requireServicePoint(trx, actor, input.servicePointCode)).id;
  return patch;
}

/**
 * Checks that the actor may reset this account's password and that the new one keeps the
 * policy; answers what the reset needs, the hash made outside the unit of work.
 */
export async function checkPasswordReset(
  ctx: AppContext,
  actor: Actor,
  id: string,
  newPassword: string,
): Promise<{ regionCode: string; passwordHash: string }> {
  requirePermission(actor, 'user.manage');
  const target = await requireUser(ctx.database.db, actor, id);
  requireGrantable(actor, target.roles);
  const passwordHash = await hashPassword(validateNewPassword(newPassword, target.username));
  return { regionCode: target.sp_region, passwordHash };
}

/** Sets the password `checkPasswordReset` accepted and signs the user out everywhere. */
export async function resetPassword(
  trx: Db,
  actor: Actor,
  meta: RequestMeta,
  id: string,
  checked: { regionCode: string; passwordHash: string },
): Promise<void> {
  await repo.setPassword(trx, id, checked.passwordHash, { unlock: true });
  await revokeSessions(trx, id);
  await recordAudit(trx, {
    actor,
    meta,
    action: 'user.password.reset',
    targetType: 'user',
    targetId: id,
    regionCode: checked.regionCode,
  });
}

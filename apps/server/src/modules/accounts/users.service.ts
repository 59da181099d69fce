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
import { validateNewPassword } from './auth.service.ts';
import { hashPassword } from './passwords.ts';
import * as repo from './users.repo.ts';

export function presentUser(r: repo.UserRow): User {
  return {
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    roles: r.roles,
    servicePoint: { code: r.sp_code, name: r.sp_name, regionCode: r.sp_region },
    department: r.department,
    active: r.active,
    lockedUntil:
      r.locked_until && r.locked_until.getTime() > Date.now() ? r.locked_until.toISOString() : null,
    createdAt: r.created_at.toISOString(),
  };
}

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
  const row = await db
    .selectFrom('service_point')
    .select('id')
    .where('code', '=', code)
    .executeTakeFirstOrThrow();
  return { ...sp, id: row.id };
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

export async function createUser(
  ctx: AppContext,
  actor: Actor,
  meta: RequestMeta,
  input: {
    username: string;
    displayName: string;
    password: string;
    servicePointCode: string;
    roles: Role[];
    department?: string | undefined;
  },
): Promise<User> {
  requirePermission(actor, 'user.manage');
  requireGrantable(actor, input.roles);
  const password = validateNewPassword(input.password, input.username, undefined, 'body.password');
  const passwordHash = await hashPassword(password);
  return ctx.database.db.transaction().execute(async (trx) => {
    const sp = await requireServicePoint(trx, actor, input.servicePointCode);
    const taken = await trx
      .selectFrom('app_user')
      .select('id')
      .where('username', '=', input.username)
      .executeTakeFirst();
    if (taken) throw new AppError('USERNAME_TAKEN', { username: input.username });
    const row = await trx
      .insertInto('app_user')
      .values({
        kind: 'staff',
        username: input.username,
        display_name: input.displayName,
        password_hash: passwordHash,
        service_point_id: sp.id,
        department: input.department ?? null,
        password_changed_at: new Date(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await repo.setRoles(trx, row.id, input.roles);
    const user = presentUser((await repo.findStaffUser(trx, row.id))!);
    await recordAudit(trx, {
      actor,
      meta,
      action: 'user.create',
      targetType: 'user',
      targetId: row.id,
      regionCode: sp.region_code,
      after: user,
    });
    return user;
  });
}

export async function updateUser(
  ctx: AppContext,
  actor: Actor,
  meta: RequestMeta,
  id: string,
  input: {
    displayName?: string | undefined;
    roles?: Role[] | undefined;
    active?: boolean | undefined;
    servicePointCode?: string | undefined;
    department?: string | null | undefined;
  },
): Promise<User> {
  requirePermission(actor, 'user.manage');
  if (input.roles) requireGrantable(actor, input.roles);
  return ctx.database.db.transaction().execute(async (trx) => {
    const current = await requireUser(trx, actor, id);
    // Nobody edits an account holding a role they could not have granted themselves.
    requireGrantable(actor, current.roles);
    const before = presentUser(current);
    const patch: {
      display_name?: string;
      active?: boolean;
      service_point_id?: string;
      department?: string | null;
      updated_at: Date;
    } = {
      updated_at: new Date(),
    };
    if (input.displayName !== undefined) patch.display_name = input.displayName;
    if (input.active !== undefined) patch.active = input.active;
    if (input.department !== undefined) patch.department = input.department;
    if (input.servicePointCode !== undefined) {
      patch.service_point_id = (await requireServicePoint(trx, actor, input.servicePointCode)).id;
    }
    await trx.updateTable('app_user').set(patch).where('id', '=', id).execute();
    if (input.roles) await repo.setRoles(trx, id, input.roles);
    if (input.active === false || input.roles || input.servicePointCode)
      await repo.revokeAllSessions(trx, id);
    const after = presentUser((await repo.findStaffUser(trx, id))!);
    await recordAudit(trx, {
      actor,
      meta,
      action: 'user.update',
      targetType: 'user',
      targetId: id,
      regionCode: after.servicePoint.regionCode,
      before,
      after,
    });
    return after;
  });
}

export async function resetPassword(
  ctx: AppContext,
  actor: Actor,
  meta: RequestMeta,
  id: string,
  newPassword: string,
): Promise<void> {
  requirePermission(actor, 'user.manage');
  const db = ctx.database.db;
  const target = await requireUser(db, actor, id);
  requireGrantable(actor, target.roles);
  const passwordHash = await hashPassword(validateNewPassword(newPassword, target.username));
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('app_user')
      .set({
        password_hash: passwordHash,
        password_changed_at: new Date(),
        failed_logins: 0,
        locked_until: null,
        updated_at: new Date(),
      })
      .where('id', '=', id)
      .execute();
    await repo.revokeAllSessions(trx, id);
    await recordAudit(trx, {
      actor,
      meta,
      action: 'user.password.reset',
      targetType: 'user',
      targetId: id,
      regionCode: target.sp_region,
    });
  });
}

import type { Role } from '@yimen/core';
import { sql } from 'kysely';
import type { Db } from '../../db/connection.ts';
import { likePrefix } from '../regions/regions.repo.ts';

export interface UserRow {
  id: string;
  username: string;
  display_name: string;
  department: string | null;
  active: boolean;
  locked_until: Date | null;
  created_at: Date;
  sp_code: string;
  sp_name: string;
  sp_region: string;
  roles: Role[];
}

function baseQuery(db: Db) {
  return db
    .selectFrom('app_user as u')
    .innerJoin('service_point as sp', 'sp.id', 'u.service_point_id')
    .select([
      'u.id',
      'u.username',
      'u.display_name',
      'u.department',
      'u.active',
      'u.locked_until',
      'u.created_at',
      'sp.code as sp_code',
      'sp.name as sp_name',
      'sp.region_code as sp_region',
      sql<Role[]>`ARRAY(SELECT r.role FROM user_role r WHERE r.user_id = u.id ORDER BY r.role)`.as(
        'roles',
      ),
    ])
    .where('u.kind', '=', 'staff');
}

export async function findStaffUser(db: Db, id: string): Promise<UserRow | undefined> {
  return (await baseQuery(db).where('u.id', '=', id).executeTakeFirst()) as UserRow | undefined;
}

export async function listStaffUsers(
  db: Db,
  filter: {
    within: string | null;
    role?: Role | undefined;
    q?: string | undefined;
    servicePointCode?: string | undefined;
    active?: boolean | undefined;
  },
  limit: number,
  after: string | undefined,
): Promise<UserRow[]> {
  let q = baseQuery(db).orderBy('u.username').limit(limit);
  if (filter.within) q = q.where('sp.region_code', 'like', likePrefix(filter.within));
  if (filter.role) {
    const role = filter.role;
    q = q.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('user_role as r')
          .select('r.role')
          .whereRef('r.user_id', '=', 'u.id')
          .where('r.role', '=', role),
      ),
    );
  }
  if (filter.q) {
    const pattern = `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q = q.where((eb) =>
      eb.or([eb('u.username', 'like', pattern), eb('u.display_name', 'like', pattern)]),
    );
  }
  if (filter.servicePointCode) q = q.where('sp.code', '=', filter.servicePointCode);
  if (filter.active !== undefined) q = q.where('u.active', '=', filter.active);
  if (after) q = q.where('u.username', '>', after);
  return (await q.execute()) as UserRow[];
}

export async function setRoles(db: Db, userId: string, roles: Role[]): Promise<void> {
  await db.deleteFrom('user_role').where('user_id', '=', userId).execute();
  await db
    .insertInto('user_role')
    .values([...new Set(roles)].map((role) => ({ user_id: userId, role })))
    .execute();
}

/** What a staff sign-in checks, by username. */
export function findStaffLogin(db: Db, username: string) {
  return db
    .selectFrom('app_user')
    .select(['id', 'password_hash', 'active', 'failed_logins', 'locked_until'])
    .where('username', '=', username)
    .where('kind', '=', 'staff')
    .executeTakeFirst();
}

/** The count of wrong passwords in a row and the lock it earned; (0, null) after a sign-in. */
export async function setLoginFailures(
  db: Db,
  id: string,
  failures: number,
  lockedUntil: Date | null,
): Promise<void> {
  await db
    .updateTable('app_user')
    .set({ failed_logins: failures, locked_until: lockedUntil })
    .where('id', '=', id)
    .execute();
}

export function findPasswordOf(db: Db, id: string) {
  return db
    .selectFrom('app_user')
    .select(['password_hash', 'username'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}

/** A new password; `unlock` also forgets the wrong tries and the lock (an admin's reset). */
export async function setPassword(
  trx: Db,
  id: string,
  passwordHash: string,
  opts: { unlock: boolean },
): Promise<void> {
  const unlock = opts.unlock ? { failed_logins: 0, locked_until: null } : {};
  await trx
    .updateTable('app_user')
    .set({
      password_hash: passwordHash,
      password_changed_at: new Date(),
      ...unlock,
      updated_at: new Date(),
    })
    .where('id', '=', id)
    .execute();
}

export async function usernameTaken(db: Db, username: string): Promise<boolean> {
  const row = await db
    .selectFrom('app_user')
    .select('id')
    .where('username', '=', username)
    .executeTakeFirst();
  return row !== undefined;
}

export async function insertStaffUser(
  trx: Db,
  u: {
    username: string;
    displayName: string;
    passwordHash: string;
    servicePointId: string;
    department: string | null;
  },
): Promise<string> {
  const row = await trx
    .insertInto('app_user')
    .values({
      kind: 'staff',
      username: u.username,
      display_name: u.displayName,
      password_hash: u.passwordHash,
      service_point_id: u.servicePointId,
      department: u.department,
      password_changed_at: new Date(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateUserRow(
  trx: Db,
  id: string,
  patch: {
    display_name?: string;
    active?: boolean;
    service_point_id?: string;
    department?: string | null;
  },
): Promise<void> {
  await trx
    .updateTable('app_user')
    .set({ ...patch, updated_at: new Date() })
    .where('id', '=', id)
    .execute();
}

export function findCitizenByMobile(db: Db, mobile: string) {
  return (
    db
      .selectFrom('app_user')
      .select(['id', 'active'])
      // A literal, not a parameter: a generic plan must see it matches the partial index
      // (app_user_citizen_mobile_idx, WHERE kind = 'citizen').
      .where(sql<boolean>`kind = 'citizen'`)
      .where('mobile', '=', mobile)
      .executeTakeFirst()
  );
}

export function insertCitizen(
  trx: Db,
  c: { mobile: string; displayName: string; residentId: string | null },
) {
  return trx
    .insertInto('app_user')
    .values({
      kind: 'citizen',
      mobile: c.mobile,
      display_name: c.displayName,
      resident_id: c.residentId,
    })
    .returning(['id', 'active'])
    .executeTakeFirstOrThrow();
}

/** What `GET /api/v1/me` shows beyond the session's actor: the mobile, point kind, resident. */
export function findMeFacts(db: Db, userId: string) {
  return db
    .selectFrom('app_user')
    .leftJoin('service_point', 'service_point.id', 'app_user.service_point_id')
    .leftJoin('resident', 'resident.id', 'app_user.resident_id')
    .select([
      'app_user.mobile',
      'service_point.kind as sp_kind',
      'resident.id as resident_id',
      'resident.name as resident_name',
      'resident.id_number_masked',
    ])
    .where('app_user.id', '=', userId)
    .executeTakeFirstOrThrow();
}

export type MeFacts = Awaited<ReturnType<typeof findMeFacts>>;

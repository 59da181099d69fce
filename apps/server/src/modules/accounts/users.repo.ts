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

export async function revokeAllSessions(db: Db, userId: string): Promise<void> {
  await db
    .updateTable('user_session')
    .set({ revoked_at: new Date() })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .execute();
}

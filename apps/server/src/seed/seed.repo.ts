import type { Role } from '@yimen/core';
import type { Insertable } from 'kysely';
import type { Db } from '../db/connection.ts';
import type { AppUserTable, ResidentTable, ServicePointTable } from '../db/schema.ts';

/**
 * What only the seed writes or asks: rows added where they are missing (by their natural
 * key), so that a seed may run again on a database that has them. Rows the modules' own
 * repositories write as the seed needs them are written there (queue.repo.ts,
 * residents.repo.ts).
 */

/** Whether any region is loaded. */
export async function hasRegions(db: Db): Promise<boolean> {
  const any = await db.selectFrom('region').select('code').limit(1).executeTakeFirst();
  return any !== undefined;
}

/** Adds the service point unless one has its code. */
export async function addServicePoint(
  db: Db,
  values: Insertable<ServicePointTable>,
): Promise<void> {
  await db
    .insertInto('service_point')
    .values(values)
    .onConflict((oc) => oc.column('code').doNothing())
    .execute();
}

/** Adds the user unless one has the username: the new user's id, undefined if taken. */
export async function addUser(
  db: Db,
  values: Insertable<AppUserTable>,
): Promise<string | undefined> {
  const row = await db
    .insertInto('app_user')
    .values(values)
    .onConflict((oc) => oc.column('username').doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id;
}

/** A new user's roles. */
export async function insertRoles(db: Db, userId: string, roles: Role[]): Promise<void> {
  await db
    .insertInto('user_role')
    .values(roles.map((role) => ({ user_id: userId, role })))
    .execute();
}

export function findHouseholdByNo(db: Db, householdNo: string) {
  return db
    .selectFrom('household')
    .select('id')
    .where('household_no', '=', householdNo)
    .executeTakeFirst();
}

/** Adds the resident unless one has the ID number: true when added. */
export async function addResident(db: Db, values: Insertable<ResidentTable>): Promise<boolean> {
  const row = await db
    .insertInto('resident')
    .values(values)
    .onConflict((oc) => oc.column('id_number_hmac').doNothing())
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

/** The staff accounts among `usernames` that exist, with the name of the place they work. */
export function listStaffPlaces(db: Db, usernames: string[]) {
  return db
    .selectFrom('app_user')
    .innerJoin('service_point', 'service_point.id', 'app_user.service_point_id')
    .select(['app_user.username', 'service_point.name'])
    .where('app_user.username', 'in', usernames)
    .execute();
}

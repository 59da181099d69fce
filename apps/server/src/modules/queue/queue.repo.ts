import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Db } from '../../db/connection.ts';
import type { QueueGroupTable, QueueWindowTable } from '../../db/schema.ts';

/**
 * The hall's setup: its service point, service groups and windows (the tickets are in
 * queue.tickets.repo.ts, the figures in queue.figures.repo.ts). Every function takes the
 * `trx` (or db) it is given.
 */

export type GroupRow = Selectable<QueueGroupTable>;
export type WindowRow = Selectable<QueueWindowTable>;

// ---- the hall's service point (read; the service-points module owns the table) ----

export interface HallPoint {
  id: string;
  code: string;
  name: string;
  kind: string;
  region_code: string;
}

const POINT_COLUMNS = ['id', 'code', 'name', 'kind', 'region_code'] as const;

export function findPointByCode(db: Db, code: string): Promise<HallPoint | undefined> {
  return db
    .selectFrom('service_point')
    .select(POINT_COLUMNS)
    .where('code', '=', code)
    .executeTakeFirst();
}

export function findPointById(db: Db, id: string): Promise<HallPoint> {
  return db
    .selectFrom('service_point')
    .select(POINT_COLUMNS)
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}

// ---- groups ----

export function findGroup(db: Db, id: string, forUpdate = false) {
  let q = db.selectFrom('queue_group').selectAll().where('id', '=', id);
  if (forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}

export function listGroups(db: Db, servicePointId: string) {
  return db
    .selectFrom('queue_group')
    .selectAll()
    .where('service_point_id', '=', servicePointId)
    .orderBy('sort')
    .orderBy('prefix')
    .execute();
}

/** The window's groups, locked in id order (so two windows never wait on each other in a cycle). */
export function lockGroups(trx: Db, servicePointId: string, ids: string[]) {
  if (ids.length === 0) return Promise.resolve([] as GroupRow[]);
  return trx
    .selectFrom('queue_group')
    .selectAll()
    .where('service_point_id', '=', servicePointId)
    .where('id', 'in', ids)
    .orderBy('id')
    .forUpdate()
    .execute();
}

/** The point's group that numbers its tickets with this prefix, if any. */
export function findGroupByPrefix(db: Db, servicePointId: string, prefix: string) {
  return db
    .selectFrom('queue_group')
    .select(['id', 'name'])
    .where('service_point_id', '=', servicePointId)
    .where('prefix', '=', prefix)
    .executeTakeFirst();
}

export function insertGroup(trx: Db, values: Insertable<QueueGroupTable>): Promise<GroupRow> {
  return trx.insertInto('queue_group').values(values).returningAll().executeTakeFirstOrThrow();
}

export function updateGroup(
  trx: Db,
  id: string,
  patch: Updateable<QueueGroupTable>,
): Promise<GroupRow> {
  return trx
    .updateTable('queue_group')
    .set(patch)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Adds the group unless its point has one with that prefix: true when it was added. */
export async function ensureGroup(db: Db, values: Insertable<QueueGroupTable>): Promise<boolean> {
  const row = await db
    .insertInto('queue_group')
    .values(values)
    .onConflict((oc) => oc.columns(['service_point_id', 'prefix']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

/** How many normal calls the group has made since its last priority call, on `day`. */
export async function setNormalStreak(trx: Db, groupId: string, streak: number, day: string) {
  await trx
    .updateTable('queue_group')
    .set({ normal_streak: streak, streak_day: day })
    .where('id', '=', groupId)
    .execute();
}

// ---- windows ----

export function findWindow(db: Db, id: string, forUpdate = false) {
  let q = db.selectFrom('queue_window').selectAll().where('id', '=', id);
  if (forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}

export function listWindows(db: Db, servicePointId: string) {
  return db
    .selectFrom('queue_window as w')
    .leftJoin('app_user as u', 'u.id', 'w.seated_user_id')
    .selectAll('w')
    .select('u.display_name as seated_name')
    .where('w.service_point_id', '=', servicePointId)
    .orderBy('w.created_at')
    .orderBy('w.name')
    .execute();
}

/** The point's window of this name, if any. */
export function findWindowByName(db: Db, servicePointId: string, name: string) {
  return db
    .selectFrom('queue_window')
    .select('id')
    .where('service_point_id', '=', servicePointId)
    .where('name', '=', name)
    .executeTakeFirst();
}

/** The window the user sits at, if any. */
export function findWindowOf(db: Db, userId: string) {
  return db
    .selectFrom('queue_window')
    .select('id')
    .where('seated_user_id', '=', userId)
    .executeTakeFirst();
}

export async function seatedName(db: Db, userId: string | null): Promise<string | null> {
  if (!userId) return null;
  const u = await db
    .selectFrom('app_user')
    .select('display_name')
    .where('id', '=', userId)
    .executeTakeFirst();
  return u?.display_name ?? null;
}

export function insertWindow(trx: Db, values: Insertable<QueueWindowTable>): Promise<WindowRow> {
  return trx.insertInto('queue_window').values(values).returningAll().executeTakeFirstOrThrow();
}

export function updateWindow(
  trx: Db,
  id: string,
  patch: Updateable<QueueWindowTable>,
): Promise<WindowRow> {
  return trx
    .updateTable('queue_window')
    .set(patch)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** The user leaves every window but `windowId`: one sits at one window at a time. */
export async function unseatElsewhere(trx: Db, userId: string, windowId: string): Promise<void> {
  await trx
    .updateTable('queue_window')
    .set({ seated_user_id: null, seated_at: null })
    .where('seated_user_id', '=', userId)
    .where('id', '!=', windowId)
    .execute();
}

/** Adds the window unless its point has one of that name. */
export async function ensureWindow(db: Db, values: Insertable<QueueWindowTable>): Promise<void> {
  await db
    .insertInto('queue_window')
    .values(values)
    .onConflict((oc) => oc.columns(['service_point_id', 'name']).doNothing())
    .execute();
}

import type { HallMe, HallServicePoint, QueueGroup, QueueWindow } from '@yimen/core';
import { type Actor, hasPermission, type RequestMeta } from '../../auth/actor.ts';
import type { Db } from '../../db/connection.ts';
import { AppError, type FieldError } from '../../errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import {
  canManageAt,
  canServeAt,
  findPointById,
  type HallPoint,
  mayManageQueues,
  requireManage,
  requirePoint,
  requireReach,
  requireServe,
  requireServeOrManage,
} from './queue.access.ts';
import { queueClock } from './queue.clock.ts';
import * as repo from './queue.repo.ts';

/** The hall's setup: service groups and windows (/hall/setup), and who sits where. */

export async function hallMe(db: Db, actor: Actor): Promise<HallMe> {
  const seated = await db
    .selectFrom('queue_window')
    .select('id')
    .where('seated_user_id', '=', actor.userId)
    .executeTakeFirst();
  const serve = actor.kind === 'staff' && hasPermission(actor, 'queue.serve');
  const manage = mayManageQueues(actor);
  return {
    servicePoint: actor.servicePoint
      ? { code: actor.servicePoint.code, name: actor.servicePoint.name }
      : null,
    can: {
      serve,
      manage,
      figures: serve || manage || (actor.kind === 'staff' && hasPermission(actor, 'stats.read')),
    },
    windowId: seated?.id ?? null,
  };
}

export async function pointView(db: Db, actor: Actor, code: string): Promise<HallServicePoint> {
  const point = await requirePoint(db, code);
  requireServeOrManage(actor, point);
  const groups = await repo.listGroups(db, point.id);
  const windows = await repo.listWindows(db, point.id);
  return {
    servicePoint: { code: point.code, name: point.name, kind: point.kind },
    groups: groups.map((g) => repo.presentGroup(g, point.code)),
    windows: windows.map((w) => repo.presentWindow(w, point.code, w.seated_name)),
    can: { serve: canServeAt(actor, point), manage: canManageAt(actor, point) },
  };
}

async function setupAudit(
  trx: Db,
  actor: Actor,
  meta: RequestMeta,
  point: HallPoint,
  action: string,
  target: { type: string; id: string },
  before: unknown,
  after: unknown,
) {
  await recordAudit(trx, {
    actor,
    meta,
    action,
    targetType: target.type,
    targetId: target.id,
    regionCode: point.region_code,
    before,
    after,
  });
}

async function checkPrefixFree(trx: Db, point: HallPoint, prefix: string, except?: string) {
  const other = await trx
    .selectFrom('queue_group')
    .select(['id', 'name'])
    .where('service_point_id', '=', point.id)
    .where('prefix', '=', prefix)
    .executeTakeFirst();
  if (other && other.id !== except)
    throw new AppError('QUEUE_PREFIX_TAKEN', { prefix, group: other.name }, [
      { field: 'body.prefix', message: { zh: '前缀已被使用', en: 'prefix in use' } },
    ]);
}

export async function createGroup(
  trx: Db,
  actor: Actor,
  meta: RequestMeta,
  code: string,
  body: {
    name: string;
    nameEn?: string | undefined;
    prefix: string;
    priorityEvery?: number | undefined;
    sort?: number | undefined;
  },
): Promise<QueueGroup> {
  const point = await requirePoint(trx, code);
  requireManage(actor, point);
  await checkPrefixFree(trx, point, body.prefix);
  const g = await trx
    .insertInto('queue_group')
    .values({
      service_point_id: point.id,
      name: body.name,
      name_en: body.nameEn ?? '',
      prefix: body.prefix,
      ...(body.priorityEvery !== undefined ? { priority_every: body.priorityEvery } : {}),
      ...(body.sort !== undefined ? { sort: body.sort } : {}),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  const out = repo.presentGroup(g, point.code);
  await setupAudit(
    trx,
    actor,
    meta,
    point,
    'queue.group.create',
    { type: 'queue_group', id: g.id },
    undefined,
    out,
  );
  return out;
}

export async function updateGroup(
  trx: Db,
  actor: Actor,
  meta: RequestMeta,
  id: string,
  body: {
    name?: string | undefined;
    nameEn?: string | undefined;
    prefix?: string | undefined;
    priorityEvery?: number | undefined;
    sort?: number | undefined;
    active?: boolean | undefined;
  },
): Promise<QueueGroup> {
  const g = await repo.findGroup(trx, id, true);
  if (!g) throw new AppError('QUEUE_GROUP_NOT_FOUND');
  const point = await findPointById(trx, g.service_point_id);
  requireReach(actor, point, new AppError('QUEUE_GROUP_NOT_FOUND'));
  requireManage(actor, point);
  if (body.prefix !== undefined) await checkPrefixFree(trx, point, body.prefix, g.id);
  const patch = {
    ...(body.name !== undefined ? { name: body.name } : {}),
    ...(body.nameEn !== undefined ? { name_en: body.nameEn } : {}),
    ...(body.prefix !== undefined ? { prefix: body.prefix } : {}),
    ...(body.priorityEvery !== undefined ? { priority_every: body.priorityEvery } : {}),
    ...(body.sort !== undefined ? { sort: body.sort } : {}),
    ...(body.active !== undefined ? { active: body.active } : {}),
  };
  const updated = await trx
    .updateTable('queue_group')
    .set({ ...patch, updated_at: new Date() })
    .where('id', '=', g.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  const before = repo.presentGroup(g, point.code);
  const out = repo.presentGroup(updated, point.code);
  await setupAudit(
    trx,
    actor,
    meta,
    point,
    'queue.group.update',
    { type: 'queue_group', id: g.id },
    before,
    out,
  );
  return out;
}

/** Every group named must be one of this point's: a bad one is named by its place in the list. */
async function checkGroupIds(trx: Db, point: HallPoint, ids: string[]) {
  const own = new Set((await repo.listGroups(trx, point.id)).map((g) => g.id));
  const problems: FieldError[] = [];
  ids.forEach((gid, i) => {
    if (!own.has(gid))
      problems.push({
        field: `body.groupIds.${i}`,
        message: { zh: '本网点没有这项业务', en: 'no such group at this service point' },
      });
  });
  if (new Set(ids).size !== ids.length)
    problems.push({
      field: 'body.groupIds',
      message: { zh: '业务不能重复', en: 'a group is listed twice' },
    });
  if (problems.length) throw new AppError('VALIDATION_FAILED', {}, problems);
}

async function checkWindowName(trx: Db, point: HallPoint, name: string, except?: string) {
  const other = await trx
    .selectFrom('queue_window')
    .select('id')
    .where('service_point_id', '=', point.id)
    .where('name', '=', name)
    .executeTakeFirst();
  if (other && other.id !== except)
    throw new AppError('QUEUE_WINDOW_NAME_TAKEN', { window: name }, [
      { field: 'body.name', message: { zh: '名称已存在', en: 'name in use' } },
    ]);
}

export async function createWindow(
  trx: Db,
  actor: Actor,
  meta: RequestMeta,
  code: string,
  body: { name: string; groupIds: string[] },
): Promise<QueueWindow> {
  const point = await requirePoint(trx, code);
  requireManage(actor, point);
  await checkGroupIds(trx, point, body.groupIds);
  await checkWindowName(trx, point, body.name);
  const w = await trx
    .insertInto('queue_window')
    .values({ service_point_id: point.id, name: body.name, group_ids: body.groupIds })
    .returningAll()
    .executeTakeFirstOrThrow();
  const out = repo.presentWindow(w, point.code, null);
  await setupAudit(
    trx,
    actor,
    meta,
    point,
    'queue.window.create',
    { type: 'queue_window', id: w.id },
    undefined,
    out,
  );
  return out;
}

export async function updateWindow(
  trx: Db,
  actor: Actor,
  meta: RequestMeta,
  id: string,
  body: {
    name?: string | undefined;
    groupIds?: string[] | undefined;
    active?: boolean | undefined;
  },
): Promise<QueueWindow> {
  const w = await repo.findWindow(trx, id, true);
  if (!w) throw new AppError('QUEUE_WINDOW_NOT_FOUND');
  const point = await findPointById(trx, w.service_point_id);
  requireReach(actor, point, new AppError('QUEUE_WINDOW_NOT_FOUND'));
  requireManage(actor, point);
  if (body.groupIds) await checkGroupIds(trx, point, body.groupIds);
  if (body.name !== undefined) await checkWindowName(trx, point, body.name, w.id);
  const updated = await trx
    .updateTable('queue_window')
    .set({
      ...(body.name !== undefined ? { name: body.name } : {}),
      ...(body.groupIds !== undefined ? { group_ids: body.groupIds } : {}),
      ...(body.active !== undefined ? { active: body.active } : {}),
      // A closed window has nobody at it.
      ...(body.active === false ? { seated_user_id: null, seated_at: null } : {}),
      updated_at: new Date(),
    })
    .where('id', '=', w.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  const before = repo.presentWindow(w, point.code, await repo.seatedName(trx, w.seated_user_id));
  const out = repo.presentWindow(
    updated,
    point.code,
    await repo.seatedName(trx, updated.seated_user_id),
  );
  await setupAudit(
    trx,
    actor,
    meta,
    point,
    'queue.window.update',
    { type: 'queue_window', id: w.id },
    before,
    out,
  );
  return out;
}

/** 就座: one sits at one window at a time; taking a window someone holds needs `takeOver`. */
export async function sitAtWindow(
  trx: Db,
  actor: Actor,
  meta: RequestMeta,
  id: string,
  takeOver: boolean,
): Promise<QueueWindow> {
  const w = await repo.findWindow(trx, id, true);
  if (!w) throw new AppError('QUEUE_WINDOW_NOT_FOUND');
  const point = await findPointById(trx, w.service_point_id);
  requireReach(actor, point, new AppError('QUEUE_WINDOW_NOT_FOUND'));
  requireServe(actor, point);
  if (!w.active) throw new AppError('QUEUE_WINDOW_INACTIVE', { window: w.name });
  if (w.seated_user_id && w.seated_user_id !== actor.userId && !takeOver)
    throw new AppError('QUEUE_WINDOW_TAKEN', {
      window: w.name,
      name: (await repo.seatedName(trx, w.seated_user_id)) ?? '—',
    });
  await trx
    .updateTable('queue_window')
    .set({ seated_user_id: null, seated_at: null })
    .where('seated_user_id', '=', actor.userId)
    .where('id', '!=', w.id)
    .execute();
  const updated = await trx
    .updateTable('queue_window')
    .set({ seated_user_id: actor.userId, seated_at: queueClock.now() })
    .where('id', '=', w.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await setupAudit(
    trx,
    actor,
    meta,
    point,
    'queue.window.sit',
    { type: 'queue_window', id: w.id },
    { seated: w.seated_user_id },
    { seated: actor.userId, takeOver },
  );
  return repo.presentWindow(updated, point.code, actor.name);
}

export async function leaveWindow(
  trx: Db,
  actor: Actor,
  meta: RequestMeta,
  id: string,
): Promise<QueueWindow> {
  const w = await repo.findWindow(trx, id, true);
  if (!w) throw new AppError('QUEUE_WINDOW_NOT_FOUND');
  const point = await findPointById(trx, w.service_point_id);
  requireReach(actor, point, new AppError('QUEUE_WINDOW_NOT_FOUND'));
  requireServe(actor, point);
  if (w.seated_user_id !== actor.userId)
    throw new AppError('QUEUE_NOT_AT_WINDOW', { window: w.name });
  const updated = await trx
    .updateTable('queue_window')
    .set({ seated_user_id: null, seated_at: null })
    .where('id', '=', w.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await setupAudit(
    trx,
    actor,
    meta,
    point,
    'queue.window.leave',
    { type: 'queue_window', id: w.id },
    { seated: actor.userId },
    { seated: null },
  );
  return repo.presentWindow(updated, point.code, null);
}

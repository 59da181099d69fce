import type { HallMe, HallServicePoint, QueueGroup, QueueWindow } from '@yimen/core';
import { type Actor, hasPermission, type RequestMeta } from '../../auth/actor.ts';
import type { Db } from '../../db/connection.ts';
import { AppError, type FieldError } from '../../errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import {
  canManageAt,
  canServeAt,
  lockWindowFor,
  mayManageQueues,
  reachPointOf,
  requireManage,
  requirePoint,
  requireSeatedWindow,
  requireServe,
  requireServeOrManage,
} from './queue.access.ts';
import { queueClock } from './queue.clock.ts';
import { presentGroup, presentWindow } from './queue.presenter.ts';
import * as repo from './queue.repo.ts';

/** The hall's setup: service groups and windows (/hall/setup), and who sits where. */

export async function hallMe(db: Db, actor: Actor): Promise<HallMe> {
  const seated = await repo.findWindowOf(db, actor.userId);
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
    groups: groups.map((g) => presentGroup(g, point.code)),
    windows: windows.map((w) => presentWindow(w, point.code, w.seated_name)),
    can: { serve: canServeAt(actor, point), manage: canManageAt(actor, point) },
  };
}

/** A change to a hall's setup: who makes it, in which transaction, at which point. */
interface Change {
  trx: Db;
  actor: Actor;
  meta: RequestMeta;
  point: repo.HallPoint;
}

async function audit(
  c: Change,
  kind: 'group' | 'window',
  id: string,
  verb: string,
  before: unknown,
  after: unknown,
) {
  await recordAudit(c.trx, {
    actor: c.actor,
    meta: c.meta,
    action: `queue.${kind}.${verb}`,
    targetType: `queue_${kind}`,
    targetId: id,
    regionCode: c.point.region_code,
    before,
    after,
  });
}

/** A group or window created (no `before`) or changed: audited, and answered as it is now. */
async function saved<T extends { id: string }>(
  c: Change,
  kind: 'group' | 'window',
  before: T | undefined,
  out: T,
): Promise<T> {
  await audit(c, kind, out.id, before ? 'update' : 'create', before, out);
  return out;
}

/** The fields given: one left out (undefined) keeps its value, or the column's default. */
function given<T extends Record<string, unknown>>(fields: T) {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}

async function checkPrefixFree(c: Change, prefix: string, except?: string) {
  const other = await repo.findGroupByPrefix(c.trx, c.point.id, prefix);
  if (other && other.id !== except)
    throw new AppError('QUEUE_PREFIX_TAKEN', { prefix, group: other.name }, [
      { field: 'body.prefix', message: { zh: '前缀已被使用', en: 'prefix in use' } },
    ]);
}

async function checkWindowName(c: Change, name: string, except?: string) {
  const other = await repo.findWindowByName(c.trx, c.point.id, name);
  if (other && other.id !== except)
    throw new AppError('QUEUE_WINDOW_NAME_TAKEN', { window: name }, [
      { field: 'body.name', message: { zh: '名称已存在', en: 'name in use' } },
    ]);
}

/** Every group named must be one of this point's: a bad one is named by its place in the list. */
async function checkGroupIds(c: Change, ids: string[]) {
  const own = new Set((await repo.listGroups(c.trx, c.point.id)).map((g) => g.id));
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

interface GroupFields {
  name?: string | undefined;
  nameEn?: string | undefined;
  prefix?: string | undefined;
  priorityEvery?: number | undefined;
  sort?: number | undefined;
}

export async function createGroup(
  trx: Db,
  actor: Actor,
  meta: RequestMeta,
  code: string,
  body: GroupFields & { name: string; prefix: string },
): Promise<QueueGroup> {
  const point = await requirePoint(trx, code);
  requireManage(actor, point);
  const c = { trx, actor, meta, point };
  await checkPrefixFree(c, body.prefix);
  const g = await repo.insertGroup(trx, {
    service_point_id: point.id,
    name: body.name,
    name_en: body.nameEn ?? '',
    prefix: body.prefix,
    ...given({ priority_every: body.priorityEvery, sort: body.sort }),
  });
  return saved(c, 'group', undefined, presentGroup(g, point.code));
}

export async function updateGroup(
  trx: Db,
  actor: Actor,
  meta: RequestMeta,
  id: string,
  body: GroupFields & { active?: boolean | undefined },
): Promise<QueueGroup> {
  const found = await repo.findGroup(trx, id, true);
  const { row: g, point } = await reachPointOf(trx, actor, found, 'QUEUE_GROUP_NOT_FOUND');
  requireManage(actor, point);
  const c = { trx, actor, meta, point };
  if (body.prefix !== undefined) await checkPrefixFree(c, body.prefix, g.id);
  const updated = await repo.updateGroup(trx, g.id, {
    ...given({
      name: body.name,
      name_en: body.nameEn,
      prefix: body.prefix,
      priority_every: body.priorityEvery,
      sort: body.sort,
      active: body.active,
    }),
    updated_at: new Date(),
  });
  return saved(c, 'group', presentGroup(g, point.code), presentGroup(updated, point.code));
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
  const c = { trx, actor, meta, point };
  await checkGroupIds(c, body.groupIds);
  await checkWindowName(c, body.name);
  const w = await repo.insertWindow(trx, {
    service_point_id: point.id,
    name: body.name,
    group_ids: body.groupIds,
  });
  return saved(c, 'window', undefined, presentWindow(w, point.code, null));
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
  const { win: w, point } = await lockWindowFor(trx, actor, id, requireManage);
  const c = { trx, actor, meta, point };
  if (body.groupIds) await checkGroupIds(c, body.groupIds);
  if (body.name !== undefined) await checkWindowName(c, body.name, w.id);
  const updated = await repo.updateWindow(trx, w.id, {
    ...given({ name: body.name, group_ids: body.groupIds, active: body.active }),
    // A closed window has nobody at it.
    ...(body.active === false ? { seated_user_id: null, seated_at: null } : {}),
    updated_at: new Date(),
  });
  const before = presentWindow(w, point.code, await repo.seatedName(trx, w.seated_user_id));
  const seated = await repo.seatedName(trx, updated.seated_user_id);
  return saved(c, 'window', before, presentWindow(updated, point.code, seated));
}

/** 就座: one sits at one window at a time; taking a window someone holds needs `takeOver`. */
export async function sitAtWindow(
  trx: Db,
  actor: Actor,
  meta: RequestMeta,
  id: string,
  takeOver: boolean,
): Promise<QueueWindow> {
  const { win: w, point } = await lockWindowFor(trx, actor, id, requireServe);
  if (!w.active) throw new AppError('QUEUE_WINDOW_INACTIVE', { window: w.name });
  if (w.seated_user_id && w.seated_user_id !== actor.userId && !takeOver)
    throw new AppError('QUEUE_WINDOW_TAKEN', {
      window: w.name,
      name: (await repo.seatedName(trx, w.seated_user_id)) ?? '—',
    });
  await repo.unseatElsewhere(trx, actor.userId, w.id);
  const updated = await repo.updateWindow(trx, w.id, {
    seated_user_id: actor.userId,
    seated_at: queueClock.now(),
  });
  const c = { trx, actor, meta, point };
  await audit(
    c,
    'window',
    w.id,
    'sit',
    { seated: w.seated_user_id },
    { seated: actor.userId, takeOver },
  );
  return presentWindow(updated, point.code, actor.name);
}

export async function leaveWindow(
  trx: Db,
  actor: Actor,
  meta: RequestMeta,
  id: string,
): Promise<QueueWindow> {
  const { win: w, point } = await requireSeatedWindow(trx, actor, id);
  const updated = await repo.updateWindow(trx, w.id, { seated_user_id: null, seated_at: null });
  const c = { trx, actor, meta, point };
  await audit(c, 'window', w.id, 'leave', { seated: actor.userId }, { seated: null });
  return presentWindow(updated, point.code, null);
}

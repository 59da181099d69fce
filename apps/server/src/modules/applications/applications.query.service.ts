import { type ApplicationDetail, todayInChina, type WORKLIST_BOXES } from '@yimen/core';
import { type Actor, hasPermission } from '../../auth/actor.ts';
import type { Db } from '../../db/connection.ts';
import { AppError, type Lang } from '../../errors.ts';
import { canSeeApplication } from './access.ts';
import { loadContent, mayTake } from './actions.service.ts';
import { allowedFor, presentDetail, presentSummary } from './applications.presenter.ts';
import * as repo from './applications.repo.ts';
import { regionOfPoint } from './units.repo.ts';
import { decodeCursor, encodeCursor, type WorklistSort } from './worklist.cursor.ts';
import { worklistPage } from './worklist.repo.ts';

/** A check of whether `actor` may see a case, for the steps that load the case themselves. */
export function visibilityCheck(db: Db, actor: Actor) {
  return async (app: repo.ApplicationRow) =>
    canSeeApplication(actor, app, await regionOfPoint(db, app.deliver_sp_id));
}

/** The case in full for one actor; `db` may be the caller's transaction. */
export async function getApplication(
  db: Db,
  actor: Actor,
  id: string,
  lang: Lang,
): Promise<ApplicationDetail> {
  const found = await repo.findDetail(db, id);
  if (!found || !canSeeApplication(actor, found, found.v_region))
    throw new AppError('APPLICATION_NOT_FOUND');
  const content = await loadContent(db, found);
  return presentDetail(
    found,
    content,
    lang,
    todayInChina(),
    allowedFor(found.status, (name) => mayTake(actor, found, name)),
  );
}

/**
 * The worklist of the actor's service point, one box at a time, sorted by due date (or by
 * submission), paged by a keyset cursor so page 40 is as fast as page 1 (worklist.repo.ts).
 */
export async function worklist(
  db: Db,
  actor: Actor,
  q: {
    box: (typeof WORKLIST_BOXES)[number];
    limit: number;
    cursor?: string | undefined;
    sort: WorklistSort;
  },
  lang: Lang,
) {
  if (actor.kind !== 'staff' || !hasPermission(actor, 'application.view') || !actor.servicePoint) {
    throw new AppError('FORBIDDEN', { permission: 'application.view' });
  }
  const today = todayInChina();
  const rows = await worklistPage(db, {
    box: q.box,
    servicePointId: actor.servicePoint.id,
    userId: actor.userId,
    today,
    sort: q.sort,
    limit: q.limit,
    after: q.cursor ? decodeCursor(q.cursor, q.sort) : null,
  });
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1];
  return {
    items: page.map((r) => presentSummary(r, lang, today)),
    nextCursor: rows.length > q.limit && last ? encodeCursor(last.sort_key, last.id) : null,
  };
}

/** A citizen's own cases, newest first. */
export async function myApplications(db: Db, actor: Actor, limit: number, lang: Lang) {
  if (actor.kind !== 'citizen' || !actor.residentId) return { items: [], nextCursor: null };
  const rows = await repo.listByApplicant(db, actor.residentId, limit);
  const today = todayInChina();
  return { items: rows.map((r) => presentSummary(r, lang, today)), nextCursor: null };
}

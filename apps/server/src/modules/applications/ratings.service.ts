import { RATING_LABELS, todayInChina } from '@yimen/core';
import type { AppContext } from '../../app-context.ts';
import { type Actor, type RequestMeta, requirePermission } from '../../auth/actor.ts';
import type { Db } from '../../db/connection.ts';
import { AppError } from '../../errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { getCalendar } from '../calendar/calendar.service.ts';
import { emitEvent } from '../integrations/events.ts';
import { bumpStats, type Counter } from '../stats/stats.rollup.ts';
import * as repo from './applications.repo.ts';

const FOLLOW_UP_WORKING_DAYS = 15;

/**
 * 好差评: the applicant rates a concluded case once. 不满意 or worse opens a follow-up (回访)
 * for the service point that received the case, due in 15 working days.
 */
export async function rateApplication(
  ctx: AppContext,
  trx: Db,
  actor: Actor,
  meta: RequestMeta,
  id: string,
  input: { grade: number; comment?: string | undefined },
) {
  const app = await repo.findApplication(trx, id, true);
  if (!app || actor.kind !== 'citizen' || actor.residentId !== app.applicant_id)
    throw new AppError('APPLICATION_NOT_FOUND');
  if (!['concluded', 'refused'].includes(app.status)) throw new AppError('NOT_RATABLE');
  const inserted = await trx
    .insertInto('rating')
    .values({
      application_id: id,
      resident_id: app.applicant_id,
      grade: input.grade,
      comment: input.comment ?? null,
    })
    .onConflict((oc) => oc.column('application_id').doNothing())
    .returning('application_id')
    .executeTakeFirst();
  if (!inserted) throw new AppError('ALREADY_RATED');
  let followUp: { id: string; dueDate: string } | null = null;
  if (input.grade <= 2) {
    const cal = await getCalendar(ctx, trx);
    const due = cal.addWorkingDays(todayInChina(), FOLLOW_UP_WORKING_DAYS).date;
    const row = await trx
      .insertInto('follow_up')
      .values({ application_id: id, service_point_id: app.received_sp_id, due_date: due })
      .returning('id')
      .executeTakeFirstOrThrow();
    followUp = { id: row.id, dueDate: due };
  }
  await bumpStats(
    trx,
    { receivedRegion: app.received_region, itemCode: app.item_code, channel: app.channel },
    {
      [`rating_${input.grade}` as Counter]: 1,
    },
  );
  await emitEvent(ctx, trx, 'rated', app, app.status, null, { grade: input.grade });
  await recordAudit(trx, {
    actor,
    meta,
    action: 'application.rate',
    targetType: 'application',
    targetId: id,
    regionCode: app.received_region,
    after: {
      grade: input.grade,
      label: RATING_LABELS[input.grade]?.zh,
      followUp: followUp?.id ?? null,
    },
  });
  return { grade: input.grade, label: RATING_LABELS[input.grade]!.zh, followUp };
}

export async function listFollowUps(ctx: AppContext, actor: Actor, status: 'open' | 'done') {
  requirePermission(actor, 'application.view');
  if (!actor.servicePoint) return { items: [] };
  const today = todayInChina();
  const rows = await ctx.database.db
    .selectFrom('follow_up as f')
    .innerJoin('application as a', 'a.id', 'f.application_id')
    .innerJoin('rating as r', 'r.application_id', 'f.application_id')
    .select([
      'f.id',
      'f.due_date',
      'f.status',
      'f.note',
      'a.id as application_id',
      'a.application_no',
      'a.item_name',
      'a.applicant_name',
      'r.grade',
      'r.comment',
    ])
    .where('f.service_point_id', '=', actor.servicePoint.id)
    .where('f.status', '=', status)
    .orderBy('f.due_date')
    .limit(200)
    .execute();
  return {
    items: rows.map((r) => ({
      id: r.id,
      applicationId: r.application_id,
      applicationNo: r.application_no,
      itemName: r.item_name,
      applicantName: r.applicant_name,
      grade: r.grade,
      comment: r.comment,
      dueDate: r.due_date,
      overdue: r.status === 'open' && r.due_date < today,
      status: r.status,
      note: r.note,
    })),
  };
}

export async function closeFollowUp(
  ctx: AppContext,
  actor: Actor,
  meta: RequestMeta,
  id: string,
  note: string,
) {
  requirePermission(actor, 'application.view');
  await ctx.database.db.transaction().execute(async (trx) => {
    const r = await trx
      .updateTable('follow_up')
      .set({ status: 'done', note, closed_at: new Date(), closed_by: actor.userId })
      .where('id', '=', id)
      .where(
        'service_point_id',
        '=',
        actor.servicePoint?.id ?? '00000000-0000-0000-0000-000000000000',
      )
      .where('status', '=', 'open')
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) throw new AppError('FOLLOW_UP_NOT_FOUND');
    await recordAudit(trx, {
      actor,
      meta,
      action: 'followUp.close',
      targetType: 'followUp',
      targetId: id,
      after: { note },
    });
  });
}

import { type CaseCounter, RATING_LABELS, todayInChina } from '@yimen/core';
import type { AppContext } from '../../app-context.ts';
import { type Actor, type RequestMeta, requirePermission } from '../../auth/actor.ts';
import type { Db } from '../../db/connection.ts';
import { late } from '../../db/late-writes.ts';
import { AppError } from '../../errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { getCalendar } from '../calendar/calendar.service.ts';
import { caseOfFact, loadContent } from './actions.service.ts';
import * as repo from './applications.repo.ts';
import * as ratings from './ratings.repo.ts';

const FOLLOW_UP_WORKING_DAYS = 15;
const NO_POINT = '00000000-0000-0000-0000-000000000000';

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
  const rated = await ratings.insertRating(trx, {
    applicationId: id,
    residentId: app.applicant_id,
    grade: input.grade,
    comment: input.comment ?? null,
  });
  if (!rated) throw new AppError('ALREADY_RATED');
  let followUp: { id: string; dueDate: string } | null = null;
  if (input.grade <= 2) {
    const cal = await getCalendar(ctx, trx);
    const dueDate = cal.addWorkingDays(todayInChina(), FOLLOW_UP_WORKING_DAYS).date;
    const followUpId = await ratings.insertFollowUp(trx, {
      applicationId: id,
      servicePointId: app.received_sp_id,
      dueDate,
    });
    followUp = { id: followUpId, dueDate };
  }
  const content = await loadContent(trx, app);
  await ctx.facts.announce(trx, {
    step: 'rate',
    case: caseOfFact(app),
    from: app.status,
    to: app.status,
    events: ['rated'],
    eventData: { grade: input.grade },
    counters: { [`rating_${input.grade}` as CaseCounter]: 1 },
    toDepartment: null,
    departmentSystemKey: content.routing.departmentSystem ?? null,
  });
  await late(trx, () =>
    recordAudit(trx, {
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
    }),
  );
  return { grade: input.grade, label: RATING_LABELS[input.grade]!.zh, followUp };
}

export async function listFollowUps(db: Db, actor: Actor, status: 'open' | 'done') {
  requirePermission(actor, 'application.view');
  if (!actor.servicePoint) return { items: [] };
  const today = todayInChina();
  const rows = await ratings.listFollowUps(db, actor.servicePoint.id, status);
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
  trx: Db,
  actor: Actor,
  meta: RequestMeta,
  id: string,
  note: string,
): Promise<void> {
  requirePermission(actor, 'application.view');
  const closed = await ratings.closeFollowUp(trx, {
    id,
    servicePointId: actor.servicePoint?.id ?? NO_POINT,
    note,
    userId: actor.userId,
  });
  if (!closed) throw new AppError('FOLLOW_UP_NOT_FOUND');
  await recordAudit(trx, {
    actor,
    meta,
    action: 'followUp.close',
    targetType: 'followUp',
    targetId: id,
    after: { note },
  });
}

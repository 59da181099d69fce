import type { Ticket } from '@yimen/core';
import type { AppContext } from '../../app-context.ts';
import type { Actor, RequestMeta } from '../../auth/actor.ts';
import type { Db } from '../../db/connection.ts';
import { AppError } from '../../errors.ts';
import { bumpQueueStats } from './queue.figures.repo.ts';
import {
  answer,
  audit,
  record,
  requireGroupAt,
  requireSeatedAtTicket,
  secondsBetween,
  stepAt,
  ticketFor,
} from './queue.steps.ts';
import * as tickets from './queue.tickets.repo.ts';

/** How a visit ends at a window: finished (with its application), or moved to another group. */

/** The case the visit produced, by its number: one the actor may not see is not found. */
async function visibleCase(ctx: AppContext, trx: Db, actor: Actor, applicationNo: string) {
  const app = await ctx.cases.visibleByNo(trx, actor, applicationNo);
  if (!app)
    throw new AppError('APPLICATION_NOT_FOUND', {}, [
      {
        field: 'body.applicationNo',
        message: { zh: '没有找到这个办件编号', en: 'no application with this number' },
      },
    ]);
  return app;
}

/** 办结: the visit ends, with the application it produced when there is one. */
export async function finishTicket(
  ctx: AppContext,
  trx: Db,
  actor: Actor,
  meta: RequestMeta,
  id: string,
  body: { applicationNo?: string | undefined; note?: string | undefined },
): Promise<{ ticket: Ticket }> {
  const { ticket, point, group } = await ticketFor(trx, actor, id, 'finish', ['serving']);
  const win = await requireSeatedAtTicket(trx, actor, ticket);
  const application = body.applicationNo
    ? await visibleCase(ctx, trx, actor, body.applicationNo)
    : null;
  const s = stepAt(ctx, trx, actor, meta, point);
  await tickets.updateTicket(trx, ticket.id, 'serving', {
    status: 'done',
    finished_at: s.at,
    application_id: application?.id ?? null,
    application_no: application?.applicationNo ?? null,
    note: body.note ?? ticket.note,
  });
  const eventId = await record(s, {
    ticket,
    group,
    event: 'finish',
    from: 'serving',
    to: 'done',
    window: { id: win.id, name: win.name },
    payload: application ? { applicationNo: application.applicationNo } : undefined,
  });
  await bumpQueueStats(trx, point, ticket.day, {
    served: 1,
    waitSec: secondsBetween(ticket.issued_at, ticket.called_at!),
    serveSec: secondsBetween(ticket.serving_started_at!, s.at),
  });
  await audit(
    s,
    'finish',
    ticket,
    { status: 'serving' },
    { status: 'done', window: win.name, applicationNo: application?.applicationNo ?? null },
  );
  return answer(s, ticket.id, [eventId]);
}

/** The same visit waiting in another group: its number, day, priority and first issue kept. */
function movedInto(ticket: tickets.TicketRow, groupId: string, note: string | null) {
  return {
    service_point_id: ticket.service_point_id,
    group_id: groupId,
    day: ticket.day,
    seq: ticket.seq,
    number: ticket.number,
    priority: ticket.priority,
    channel: ticket.channel,
    status: 'waiting' as const,
    issued_at: ticket.issued_at,
    issued_by: ticket.issued_by,
    transferred_from: ticket.id,
    note,
  };
}

/**
 * 转移: the ticket ends as 'transferred' and a new one with the same number, day, priority and
 * issue time waits in the other group. A waiting ticket may be moved by any of the point's
 * staff (the front desk); a called or served one only from the window that called it.
 */
export async function transferTicket(
  ctx: AppContext,
  trx: Db,
  actor: Actor,
  meta: RequestMeta,
  id: string,
  body: { groupId: string; note?: string | undefined },
): Promise<{ ticket: Ticket }> {
  const { ticket, point, group } = await ticketFor(trx, actor, id, 'transfer', [
    'waiting',
    'called',
    'serving',
  ]);
  const win = ticket.status === 'waiting' ? null : await requireSeatedAtTicket(trx, actor, ticket);
  const target = await requireGroupAt(trx, point, body.groupId);
  if (target.id === group.id) throw new AppError('QUEUE_SAME_GROUP', { group: group.name });
  if (!target.active) throw new AppError('QUEUE_GROUP_INACTIVE', { group: target.name });
  const s = stepAt(ctx, trx, actor, meta, point);
  const moved = await tickets.insertTicket(trx, movedInto(ticket, target.id, body.note ?? null));
  await tickets.updateTicket(trx, ticket.id, ticket.status, {
    status: 'transferred',
    transferred_to: moved.id,
    finished_at: s.at,
  });
  const window = win ? { id: win.id, name: win.name } : null;
  const out = await record(s, {
    ticket,
    group,
    event: 'transfer',
    from: ticket.status,
    to: 'transferred',
    window,
    payload: { toGroup: target.name, toTicket: moved.id, note: body.note ?? null },
  });
  const into = await record(s, {
    ticket: moved,
    group: target,
    event: 'transferIn',
    from: null,
    to: 'waiting',
    window,
    payload: { fromGroup: group.name, fromTicket: ticket.id },
  });
  await audit(
    s,
    'transfer',
    ticket,
    { status: ticket.status, group: group.name },
    { status: 'transferred', group: target.name, newTicketId: moved.id },
  );
  return answer(s, moved.id, [out, into]);
}

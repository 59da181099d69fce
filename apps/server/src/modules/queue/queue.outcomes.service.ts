import type { Ticket } from '@yimen/core';
import type { Actor, RequestMeta } from '../../auth/actor.ts';
import type { Db } from '../../db/connection.ts';
import { AppError } from '../../errors.ts';
import type { CasePort } from '../../ports.ts';
import { queueClock } from './queue.clock.ts';
import * as repo from './queue.repo.ts';
import {
  actorRef,
  audit,
  type Done,
  requireSeatedAtTicket,
  secondsBetween,
  ticketFor,
} from './queue.steps.ts';

/** How a visit ends at a window: finished (with its application), or moved to another group. */

/** 办结: the visit ends, with the application it produced when there is one. */
export async function finishTicket(
  cases: CasePort,
  trx: Db,
  actor: Actor,
  meta: RequestMeta,
  id: string,
  body: { applicationNo?: string | undefined; note?: string | undefined },
): Promise<Done<{ ticket: Ticket }>> {
  const { ticket, point, group } = await ticketFor(trx, actor, id, 'finish', ['serving']);
  const win = await requireSeatedAtTicket(trx, actor, ticket);
  let application: { id: string; applicationNo: string } | null = null;
  if (body.applicationNo) {
    const app = await cases.visibleByNo(trx, actor, body.applicationNo);
    if (!app)
      throw new AppError('APPLICATION_NOT_FOUND', {}, [
        {
          field: 'body.applicationNo',
          message: { zh: '没有找到这个办件编号', en: 'no application with this number' },
        },
      ]);
    application = app;
  }
  const now = queueClock.now();
  await repo.updateTicket(trx, ticket.id, 'serving', {
    status: 'done',
    finished_at: now,
    application_id: application?.id ?? null,
    application_no: application?.applicationNo ?? null,
    note: body.note ?? ticket.note,
  });
  const eventId = await repo.appendEvent(trx, {
    ticket,
    group,
    event: 'finish',
    from: 'serving',
    to: 'done',
    window: { id: win.id, name: win.name },
    actor: actorRef(actor),
    payload: application ? { applicationNo: application.applicationNo } : undefined,
    requestId: meta.requestId,
    at: now,
  });
  await repo.bumpQueueStats(trx, point, ticket.day, {
    served: 1,
    waitSec: secondsBetween(ticket.issued_at, ticket.called_at!),
    serveSec: secondsBetween(ticket.serving_started_at!, now),
  });
  await audit(
    trx,
    actor,
    meta,
    point,
    'finish',
    ticket,
    { status: 'serving' },
    {
      status: 'done',
      window: win.name,
      applicationNo: application?.applicationNo ?? null,
    },
  );
  return {
    result: { ticket: repo.presentTicket(await repo.ticketView(trx, ticket.id)) },
    pointId: point.id,
    eventIds: [eventId],
  };
}

/**
 * 转移: the ticket ends as 'transferred' and a new one with the same number, day, priority and
 * issue time waits in the other group. A waiting ticket may be moved by any of the point's
 * staff (the front desk); a called or served one only from the window that called it.
 */
export async function transferTicket(
  trx: Db,
  actor: Actor,
  meta: RequestMeta,
  id: string,
  body: { groupId: string; note?: string | undefined },
): Promise<Done<{ ticket: Ticket }>> {
  const { ticket, point, group } = await ticketFor(trx, actor, id, 'transfer', [
    'waiting',
    'called',
    'serving',
  ]);
  const win = ticket.status === 'waiting' ? null : await requireSeatedAtTicket(trx, actor, ticket);
  const target = await repo.findGroup(trx, body.groupId);
  if (!target || target.service_point_id !== point.id)
    throw new AppError('QUEUE_GROUP_NOT_FOUND', {}, [
      { field: 'body.groupId', message: { zh: '本网点没有这项业务', en: 'no such group here' } },
    ]);
  if (target.id === group.id) throw new AppError('QUEUE_SAME_GROUP', { group: group.name });
  if (!target.active) throw new AppError('QUEUE_GROUP_INACTIVE', { group: target.name });
  const now = queueClock.now();
  const moved = await trx
    .insertInto('queue_ticket')
    .values({
      service_point_id: point.id,
      group_id: target.id,
      day: ticket.day,
      seq: ticket.seq,
      number: ticket.number,
      priority: ticket.priority,
      channel: ticket.channel,
      status: 'waiting',
      issued_at: ticket.issued_at,
      issued_by: ticket.issued_by,
      transferred_from: ticket.id,
      note: body.note ?? null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await repo.updateTicket(trx, ticket.id, ticket.status, {
    status: 'transferred',
    transferred_to: moved.id,
    finished_at: now,
  });
  const window = win ? { id: win.id, name: win.name } : null;
  const out = await repo.appendEvent(trx, {
    ticket,
    group,
    event: 'transfer',
    from: ticket.status,
    to: 'transferred',
    window,
    actor: actorRef(actor),
    payload: { toGroup: target.name, toTicket: moved.id, note: body.note ?? null },
    requestId: meta.requestId,
    at: now,
  });
  const into = await repo.appendEvent(trx, {
    ticket: moved,
    group: target,
    event: 'transferIn',
    from: null,
    to: 'waiting',
    window,
    actor: actorRef(actor),
    payload: { fromGroup: group.name, fromTicket: ticket.id },
    requestId: meta.requestId,
    at: now,
  });
  await audit(
    trx,
    actor,
    meta,
    point,
    'transfer',
    ticket,
    { status: ticket.status, group: group.name },
    {
      status: 'transferred',
      group: target.name,
      newTicketId: moved.id,
    },
  );
  return {
    result: { ticket: repo.presentTicket(await repo.ticketView(trx, moved.id)) },
    pointId: point.id,
    eventIds: [out, into],
  };
}

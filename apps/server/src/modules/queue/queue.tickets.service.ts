import type { Ticket } from '@yimen/core';
import type { Actor, RequestMeta } from '../../auth/actor.ts';
import type { Db } from '../../db/connection.ts';
import type { QueueTicketStatus } from '../../db/schema.ts';
import { AppError } from '../../errors.ts';
import { findPointById, requirePoint, requireReach, requireServe } from './queue.access.ts';
import { queueClock, queueToday } from './queue.clock.ts';
import * as repo from './queue.repo.ts';
import { actorRef, audit, type Done, requireSeatedAtTicket, ticketFor } from './queue.steps.ts';

/**
 * Tickets and their life at the windows: issue → waiting → called → serving → done, or
 * called → no_show (skip), or waiting/called/serving → transferred into another group.
 * Each step writes, in its transaction, the ticket, a history row, the audit row and, at
 * issue, finish and skip, the monthly rollup. The caller tells the hall display after commit.
 *
 * Priority interleaving, per group: when a window calls, a waiting priority ticket (老年人,
 * 残疾人) is taken first if the group has made `priorityEvery` normal calls since its last
 * priority call today (default 2: normal, normal, priority, normal, normal, priority…), or if
 * no normal ticket is waiting; otherwise the oldest normal ticket. Within each kind the order
 * is by first issue time, so a transferred ticket keeps its place from when it was taken.
 */

export async function issueTicket(
  trx: Db,
  actor: Actor,
  meta: RequestMeta,
  code: string,
  body: {
    groupId: string;
    priority?: 'elderly' | 'disabled' | null | undefined;
    channel: 'kiosk' | 'desk';
  },
): Promise<Done<{ ticket: Ticket; waitingAhead: number }>> {
  const point = await requirePoint(trx, code);
  requireServe(actor, point);
  const group = await repo.findGroup(trx, body.groupId);
  if (!group || group.service_point_id !== point.id)
    throw new AppError('QUEUE_GROUP_NOT_FOUND', {}, [
      { field: 'body.groupId', message: { zh: '本网点没有这项业务', en: 'no such group here' } },
    ]);
  if (!group.active) throw new AppError('QUEUE_GROUP_INACTIVE', { group: group.name });
  const now = queueClock.now();
  const day = queueToday(now);
  const seq = await repo.nextSeq(trx, group.id, day);
  const number = `${group.prefix}${String(seq).padStart(3, '0')}`;
  const ticket = await trx
    .insertInto('queue_ticket')
    .values({
      service_point_id: point.id,
      group_id: group.id,
      day,
      seq,
      number,
      priority: body.priority ?? null,
      channel: body.channel,
      status: 'waiting',
      issued_at: now,
      issued_by: actor.userId,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  const eventId = await repo.appendEvent(trx, {
    ticket,
    group,
    event: 'issue',
    from: null,
    to: 'waiting',
    window: null,
    actor: actorRef(actor),
    payload: { channel: body.channel, priority: body.priority ?? null },
    requestId: meta.requestId,
    at: now,
  });
  const ahead = await trx
    .selectFrom('queue_ticket')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('group_id', '=', group.id)
    .where('day', '=', day)
    .where('status', '=', 'waiting')
    .where('id', '!=', ticket.id)
    .executeTakeFirstOrThrow();
  await repo.bumpQueueStats(trx, point, day, { tickets: 1 });
  await audit(trx, actor, meta, point, 'issue', ticket, undefined, {
    status: 'waiting',
    group: group.name,
    priority: ticket.priority,
    channel: ticket.channel,
  });
  return {
    result: {
      ticket: repo.presentTicket(await repo.ticketView(trx, ticket.id)),
      waitingAhead: Number(ahead.n),
    },
    pointId: point.id,
    eventIds: [eventId],
  };
}

/** The window, locked, with its point; the actor must be its point's staff and seated there. */
async function seatedWindow(trx: Db, actor: Actor, windowId: string) {
  const win = await repo.findWindow(trx, windowId, true);
  if (!win) throw new AppError('QUEUE_WINDOW_NOT_FOUND');
  const point = await findPointById(trx, win.service_point_id);
  requireReach(actor, point, new AppError('QUEUE_WINDOW_NOT_FOUND'));
  requireServe(actor, point);
  if (win.seated_user_id !== actor.userId)
    throw new AppError('QUEUE_NOT_AT_WINDOW', { window: win.name });
  return { win, point };
}

export async function callNext(
  trx: Db,
  actor: Actor,
  meta: RequestMeta,
  windowId: string,
): Promise<Done<{ ticket: Ticket | null }>> {
  const { win, point } = await seatedWindow(trx, actor, windowId);
  if (!win.active) throw new AppError('QUEUE_WINDOW_INACTIVE', { window: win.name });
  const current = await repo.currentTicketOf(trx, win.id);
  if (current)
    throw new AppError('QUEUE_WINDOW_BUSY', { window: win.name, number: current.number });
  const locked = await repo.lockGroups(trx, point.id, win.group_ids);
  const now = queueClock.now();
  const day = queueToday(now);
  for (const groupId of win.group_ids) {
    const group = locked.find((g) => g.id === groupId);
    if (!group?.active) continue;
    const streak = group.streak_day === day ? group.normal_streak : 0;
    const priority = await repo.oldestWaiting(trx, group.id, day, true);
    const normal = await repo.oldestWaiting(trx, group.id, day, false);
    const takePriority = !!priority && (!normal || streak >= group.priority_every);
    const ticket = takePriority ? priority : normal;
    if (!ticket) continue;
    await trx
      .updateTable('queue_group')
      .set({ normal_streak: takePriority ? 0 : streak + 1, streak_day: day })
      .where('id', '=', group.id)
      .execute();
    await repo.updateTicket(trx, ticket.id, 'waiting', {
      status: 'called',
      called_at: now,
      last_called_at: now,
      call_count: 1,
      window_id: win.id,
      served_by: actor.userId,
    });
    const eventId = await repo.appendEvent(trx, {
      ticket,
      group,
      event: 'call',
      from: 'waiting',
      to: 'called',
      window: { id: win.id, name: win.name },
      actor: actorRef(actor),
      payload: takePriority ? { priority: ticket.priority } : undefined,
      requestId: meta.requestId,
      at: now,
    });
    await audit(
      trx,
      actor,
      meta,
      point,
      'call',
      ticket,
      { status: 'waiting' },
      {
        status: 'called',
        window: win.name,
      },
    );
    return {
      result: { ticket: repo.presentTicket(await repo.ticketView(trx, ticket.id)) },
      pointId: point.id,
      eventIds: [eventId],
    };
  }
  return { result: { ticket: null }, pointId: point.id, eventIds: [] };
}

const NEXT: Record<
  'recall' | 'skip' | 'start',
  { from: QueueTicketStatus; to: QueueTicketStatus }
> = {
  recall: { from: 'called', to: 'called' },
  skip: { from: 'called', to: 'no_show' },
  start: { from: 'called', to: 'serving' },
};

/** 重呼 (call the same number again), 过号 (no-show), 开始办理 (start serving). */
export async function stepTicket(
  trx: Db,
  actor: Actor,
  meta: RequestMeta,
  id: string,
  action: 'recall' | 'skip' | 'start',
): Promise<Done<{ ticket: Ticket }>> {
  const { from, to } = NEXT[action];
  const { ticket, point, group } = await ticketFor(trx, actor, id, action, [from]);
  const win = await requireSeatedAtTicket(trx, actor, ticket);
  const now = queueClock.now();
  const patch =
    action === 'recall'
      ? { last_called_at: now, call_count: ticket.call_count + 1 }
      : action === 'skip'
        ? { status: to, finished_at: now }
        : { status: to, serving_started_at: now, served_by: actor.userId };
  await repo.updateTicket(trx, ticket.id, from, patch);
  const eventId = await repo.appendEvent(trx, {
    ticket,
    group,
    event: action,
    from,
    to,
    window: { id: win.id, name: win.name },
    actor: actorRef(actor),
    payload: action === 'recall' ? { callCount: ticket.call_count + 1 } : undefined,
    requestId: meta.requestId,
    at: now,
  });
  if (action === 'skip') await repo.bumpQueueStats(trx, point, ticket.day, { noShow: 1 });
  await audit(
    trx,
    actor,
    meta,
    point,
    action,
    ticket,
    { status: from },
    {
      status: to,
      window: win.name,
    },
  );
  return {
    result: { ticket: repo.presentTicket(await repo.ticketView(trx, ticket.id)) },
    pointId: point.id,
    eventIds: [eventId],
  };
}

import type { Ticket } from '@yimen/core';
import type { AppContext } from '../../app-context.ts';
import type { Actor, RequestMeta } from '../../auth/actor.ts';
import type { Db } from '../../db/connection.ts';
import type { QueueTicketStatus } from '../../db/schema.ts';
import { AppError } from '../../errors.ts';
import { requirePoint, requireSeatedWindow, requireServe } from './queue.access.ts';
import { queueToday } from './queue.clock.ts';
import { bumpQueueStats } from './queue.figures.repo.ts';
import { type GroupRow, lockGroups, setNormalStreak } from './queue.repo.ts';
import {
  answer,
  audit,
  record,
  requireGroupAt,
  requireSeatedAtTicket,
  stepAt,
  tellDisplays,
  ticketFor,
} from './queue.steps.ts';
import * as tickets from './queue.tickets.repo.ts';

/**
 * Tickets and their life at the windows: issue → waiting → called → serving → done, or
 * called → no_show (skip), or waiting/called/serving → transferred into another group.
 * Each step writes, in its transaction, the ticket, a history row, the audit row and, at
 * issue, finish and skip, the monthly rollup. The hall display hears of it after commit.
 *
 * Priority interleaving, per group: when a window calls, a waiting priority ticket (老年人,
 * 残疾人) is taken first if the group has made `priorityEvery` normal calls since its last
 * priority call today (default 2: normal, normal, priority, normal, normal, priority…), or if
 * no normal ticket is waiting; otherwise the oldest normal ticket. Within each kind the order
 * is by first issue time, so a transferred ticket keeps its place from when it was taken.
 */

export async function issueTicket(
  ctx: AppContext,
  trx: Db,
  actor: Actor,
  meta: RequestMeta,
  code: string,
  body: {
    groupId: string;
    priority?: 'elderly' | 'disabled' | null | undefined;
    channel: 'kiosk' | 'desk';
  },
): Promise<{ ticket: Ticket; waitingAhead: number }> {
  const point = await requirePoint(trx, code);
  requireServe(actor, point);
  const group = await requireGroupAt(trx, point, body.groupId);
  if (!group.active) throw new AppError('QUEUE_GROUP_INACTIVE', { group: group.name });
  const s = stepAt(ctx, trx, actor, meta, point);
  const day = queueToday(s.at);
  const seq = await tickets.nextSeq(trx, group.id, day);
  const ticket = await tickets.insertTicket(trx, {
    service_point_id: point.id,
    group_id: group.id,
    day,
    seq,
    number: `${group.prefix}${String(seq).padStart(3, '0')}`,
    priority: body.priority ?? null,
    channel: body.channel,
    status: 'waiting',
    issued_at: s.at,
    issued_by: actor.userId,
  });
  const eventId = await record(s, {
    ticket,
    group,
    event: 'issue',
    from: null,
    to: 'waiting',
    window: null,
    payload: { channel: body.channel, priority: body.priority ?? null },
  });
  const waitingAhead = await tickets.waitingAhead(trx, ticket);
  await bumpQueueStats(trx, point, day, { tickets: 1 });
  await audit(s, 'issue', ticket, undefined, {
    status: 'waiting',
    group: group.name,
    priority: ticket.priority,
    channel: ticket.channel,
  });
  return { ...(await answer(s, ticket.id, [eventId])), waitingAhead };
}

/** The group's next ticket by the interleaving rule, locked, and the group's streak after it. */
async function nextOfGroup(trx: Db, group: GroupRow, day: string) {
  const streak = group.streak_day === day ? group.normal_streak : 0;
  const priority = await tickets.oldestWaiting(trx, group.id, day, true);
  const normal = await tickets.oldestWaiting(trx, group.id, day, false);
  const takePriority = !!priority && (!normal || streak >= group.priority_every);
  const ticket = takePriority ? priority : normal;
  return ticket ? { ticket, takePriority, streak: takePriority ? 0 : streak + 1 } : null;
}

export async function callNext(
  ctx: AppContext,
  trx: Db,
  actor: Actor,
  meta: RequestMeta,
  windowId: string,
): Promise<{ ticket: Ticket | null }> {
  const { win, point } = await requireSeatedWindow(trx, actor, windowId);
  if (!win.active) throw new AppError('QUEUE_WINDOW_INACTIVE', { window: win.name });
  const current = await tickets.currentTicketOf(trx, win.id);
  if (current)
    throw new AppError('QUEUE_WINDOW_BUSY', { window: win.name, number: current.number });
  const locked = await lockGroups(trx, point.id, win.group_ids);
  const s = stepAt(ctx, trx, actor, meta, point);
  const day = queueToday(s.at);
  for (const groupId of win.group_ids) {
    const group = locked.find((g) => g.id === groupId);
    if (!group?.active) continue;
    const next = await nextOfGroup(trx, group, day);
    if (!next) continue;
    const { ticket, takePriority } = next;
    await setNormalStreak(trx, group.id, next.streak, day);
    await tickets.updateTicket(trx, ticket.id, 'waiting', {
      status: 'called',
      called_at: s.at,
      last_called_at: s.at,
      call_count: 1,
      window_id: win.id,
      served_by: actor.userId,
    });
    const eventId = await record(s, {
      ticket,
      group,
      event: 'call',
      from: 'waiting',
      to: 'called',
      window: { id: win.id, name: win.name },
      payload: takePriority ? { priority: ticket.priority } : undefined,
    });
    await audit(s, 'call', ticket, { status: 'waiting' }, { status: 'called', window: win.name });
    return answer(s, ticket.id, [eventId]);
  }
  tellDisplays(s, []);
  return { ticket: null };
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
  ctx: AppContext,
  trx: Db,
  actor: Actor,
  meta: RequestMeta,
  id: string,
  action: 'recall' | 'skip' | 'start',
): Promise<{ ticket: Ticket }> {
  const { from, to } = NEXT[action];
  const { ticket, point, group } = await ticketFor(trx, actor, id, action, [from]);
  const win = await requireSeatedAtTicket(trx, actor, ticket);
  const s = stepAt(ctx, trx, actor, meta, point);
  const patch =
    action === 'recall'
      ? { last_called_at: s.at, call_count: ticket.call_count + 1 }
      : action === 'skip'
        ? { status: to, finished_at: s.at }
        : { status: to, serving_started_at: s.at, served_by: actor.userId };
  await tickets.updateTicket(trx, ticket.id, from, patch);
  const eventId = await record(s, {
    ticket,
    group,
    event: action,
    from,
    to,
    window: { id: win.id, name: win.name },
    payload: action === 'recall' ? { callCount: ticket.call_count + 1 } : undefined,
  });
  if (action === 'skip') await bumpQueueStats(trx, point, ticket.day, { noShow: 1 });
  await audit(s, action, ticket, { status: from }, { status: to, window: win.name });
  return answer(s, ticket.id, [eventId]);
}

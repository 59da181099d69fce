import type { Ticket, TicketStatus, WindowConsole } from '@yimen/core';
import type { Actor } from '../../auth/actor.ts';
import type { Db } from '../../db/connection.ts';
import { AppError } from '../../errors.ts';
import {
  findPointById,
  requirePoint,
  requireReach,
  requireServe,
  requireServeOrManage,
} from './queue.access.ts';
import { queueToday } from './queue.clock.ts';
import * as repo from './queue.repo.ts';

/** What a window's staff see: the window, its ticket now, who waits, what it did today. */
export async function windowConsole(db: Db, actor: Actor, id: string): Promise<WindowConsole> {
  const w = await repo.findWindow(db, id);
  if (!w) throw new AppError('QUEUE_WINDOW_NOT_FOUND');
  const point = await findPointById(db, w.service_point_id);
  requireReach(actor, point, new AppError('QUEUE_WINDOW_NOT_FOUND'));
  requireServe(actor, point);
  const day = queueToday();
  const groups = await repo.listGroups(db, point.id);
  const counts = await repo.waitingCounts(db, point.id, day);
  const waitingOf = (g: repo.GroupRow) => ({
    groupId: g.id,
    name: g.name,
    nameEn: g.name_en,
    prefix: g.prefix,
    waiting: counts.get(g.id)?.waiting ?? 0,
    priorityWaiting: counts.get(g.id)?.priority_waiting ?? 0,
  });
  const served = w.group_ids
    .map((gid) => groups.find((g) => g.id === gid))
    .filter((g): g is repo.GroupRow => !!g);
  const current = await repo
    .ticketViews(db)
    .where('t.window_id', '=', w.id)
    .where('t.status', 'in', ['called', 'serving'])
    .executeTakeFirst();
  const handled = await repo
    .ticketViews(db)
    .where('t.window_id', '=', w.id)
    .where('t.day', '=', day)
    .where('t.status', 'in', ['done', 'no_show', 'transferred'])
    .orderBy('t.called_at', 'desc')
    .limit(20)
    .execute();
  return {
    window: repo.presentWindow(w, point.code, await repo.seatedName(db, w.seated_user_id)),
    current: current ? repo.presentTicket(current as repo.TicketView) : null,
    waiting: served.map(waitingOf),
    otherGroups: groups.filter((g) => g.active).map(waitingOf),
    handledToday: handled.map((t) => repo.presentTicket(t as repo.TicketView)),
  };
}

/** The day's tickets of a hall, oldest first: the front desk's list. */
export async function listTickets(
  db: Db,
  actor: Actor,
  code: string,
  q: { status?: TicketStatus | undefined; date?: string | undefined },
): Promise<{ items: Ticket[] }> {
  const point = await requirePoint(db, code);
  requireServeOrManage(actor, point);
  let query = repo
    .ticketViews(db)
    .where('t.service_point_id', '=', point.id)
    .where('t.day', '=', q.date ?? queueToday());
  if (q.status) query = query.where('t.status', '=', q.status);
  const rows = await query.orderBy('t.issued_at').orderBy('t.created_at').limit(1000).execute();
  return { items: rows.map((t) => repo.presentTicket(t as repo.TicketView)) };
}

/** One ticket with its history, across transfers (the rows before and after it). */
export async function ticketDetail(db: Db, actor: Actor, id: string) {
  const t = (await repo.ticketViews(db).where('t.id', '=', id).executeTakeFirst()) as
    | repo.TicketView
    | undefined;
  if (!t) throw new AppError('QUEUE_TICKET_NOT_FOUND');
  const point = await findPointById(db, t.service_point_id);
  requireReach(actor, point, new AppError('QUEUE_TICKET_NOT_FOUND'));
  requireServeOrManage(actor, point);
  const chain = await db
    .selectFrom('queue_ticket')
    .select('id')
    .where('service_point_id', '=', t.service_point_id)
    .where('day', '=', t.day)
    .where('number', '=', t.number)
    .execute();
  const events = await repo.listEvents(
    db,
    chain.map((c) => c.id),
  );
  return {
    ...repo.presentTicket(t),
    history: events.map((e) => ({
      id: Number(e.id),
      event: e.event,
      fromStatus: e.from_status,
      toStatus: e.to_status,
      windowName: e.window_name,
      actorName: e.actor_name,
      payload: e.payload,
      occurredAt: e.occurred_at.toISOString(),
    })),
  };
}

import type { Ticket, TicketStatus, WindowConsole } from '@yimen/core';
import type { Actor } from '../../auth/actor.ts';
import type { Db } from '../../db/connection.ts';
import { reachPointOf, requirePoint, requireServe, requireServeOrManage } from './queue.access.ts';
import { queueToday } from './queue.clock.ts';
import { presentTicket, presentTicketEvent, presentWindow } from './queue.presenter.ts';
import { findWindow, type GroupRow, listGroups, seatedName } from './queue.repo.ts';
import * as tickets from './queue.tickets.repo.ts';

/** What a window's staff see: the window, its ticket now, who waits, what it did today. */
export async function windowConsole(db: Db, actor: Actor, id: string): Promise<WindowConsole> {
  const found = await findWindow(db, id);
  const { row: w, point } = await reachPointOf(db, actor, found, 'QUEUE_WINDOW_NOT_FOUND');
  requireServe(actor, point);
  const day = queueToday();
  const groups = await listGroups(db, point.id);
  const counts = await tickets.waitingCounts(db, point.id, day);
  const waitingOf = (g: GroupRow) => ({
    groupId: g.id,
    name: g.name,
    nameEn: g.name_en,
    prefix: g.prefix,
    waiting: counts.get(g.id)?.waiting ?? 0,
    priorityWaiting: counts.get(g.id)?.priority_waiting ?? 0,
  });
  const served = w.group_ids
    .map((gid) => groups.find((g) => g.id === gid))
    .filter((g): g is GroupRow => !!g);
  const current = await tickets.currentTicketViewOf(db, w.id);
  const handled = await tickets.handledBy(db, w.id, day, 20);
  return {
    window: presentWindow(w, point.code, await seatedName(db, w.seated_user_id)),
    current: current ? presentTicket(current) : null,
    waiting: served.map(waitingOf),
    otherGroups: groups.filter((g) => g.active).map(waitingOf),
    handledToday: handled.map(presentTicket),
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
  const day = q.date ?? queueToday();
  const rows = await tickets.listDayTicketViews(db, point.id, day, q.status, 1000);
  return { items: rows.map(presentTicket) };
}

/** One ticket with its history, across transfers (the rows before and after it). */
export async function ticketDetail(db: Db, actor: Actor, id: string) {
  const found = await tickets.findTicketView(db, id);
  const { row: t, point } = await reachPointOf(db, actor, found, 'QUEUE_TICKET_NOT_FOUND');
  requireServeOrManage(actor, point);
  const events = await tickets.listEvents(db, await tickets.listVisitTicketIds(db, t));
  return { ...presentTicket(t), history: events.map(presentTicketEvent) };
}

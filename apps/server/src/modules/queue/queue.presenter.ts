import type { DisplayCall, QueueGroup, QueueWindow, Ticket } from '@yimen/core';
import type { CallRow } from './queue.display.repo.ts';
import type { GroupRow, WindowRow } from './queue.repo.ts';
import type { TicketEventRow, TicketView } from './queue.tickets.repo.ts';

/** The queue's rows as the API shows them. */

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function presentGroup(g: GroupRow, servicePointCode: string): QueueGroup {
  return {
    id: g.id,
    servicePointCode,
    name: g.name,
    nameEn: g.name_en,
    prefix: g.prefix,
    priorityEvery: g.priority_every,
    active: g.active,
    sort: g.sort,
  };
}

export function presentWindow(
  w: WindowRow,
  servicePointCode: string,
  seatedName: string | null,
): QueueWindow {
  return {
    id: w.id,
    servicePointCode,
    name: w.name,
    groupIds: w.group_ids,
    active: w.active,
    seated:
      w.seated_user_id && w.seated_at
        ? { userId: w.seated_user_id, name: seatedName ?? '', since: w.seated_at.toISOString() }
        : null,
  };
}

export function presentTicket(t: TicketView): Ticket {
  return {
    id: t.id,
    number: t.number,
    servicePointCode: t.sp_code,
    groupId: t.group_id,
    groupName: t.group_name,
    groupNameEn: t.group_name_en,
    day: t.day,
    priority: t.priority,
    channel: t.channel,
    status: t.status,
    issuedAt: t.issued_at.toISOString(),
    calledAt: iso(t.called_at),
    callCount: t.call_count,
    windowId: t.window_id,
    windowName: t.window_name,
    servingStartedAt: iso(t.serving_started_at),
    finishedAt: iso(t.finished_at),
    applicationNo: t.application_no,
    transferredFrom: t.transferred_from,
    transferredTo: t.transferred_to,
  };
}

/** A history row of a ticket, in its detail. */
export function presentTicketEvent(e: TicketEventRow) {
  return {
    id: Number(e.id),
    event: e.event,
    fromStatus: e.from_status,
    toStatus: e.to_status,
    windowName: e.window_name,
    actorName: e.actor_name,
    payload: e.payload,
    occurredAt: e.occurred_at.toISOString(),
  };
}

/** A call as the hall display announces it. */
export function presentCall(r: CallRow): DisplayCall {
  return {
    eventId: Number(r.id),
    number: r.number,
    windowName: r.window_name ?? '',
    groupName: r.group_name,
    groupNameEn: r.group_name_en,
    recall: r.event === 'recall',
    at: r.occurred_at.toISOString(),
  };
}

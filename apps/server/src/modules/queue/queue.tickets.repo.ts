import { type Insertable, type Selectable, sql } from 'kysely';
import type { Db } from '../../db/connection.ts';
import type {
  QueueTicketEventTable,
  QueueTicketStatus,
  QueueTicketTable,
} from '../../db/schema.ts';

/** Tickets and their history rows. Every function takes the `trx` (or db) it is given. */

export type TicketRow = Selectable<QueueTicketTable>;
export type TicketEventRow = Selectable<QueueTicketEventTable>;

// ---- tickets ----

export function lockTicket(trx: Db, id: string) {
  return trx
    .selectFrom('queue_ticket')
    .selectAll()
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

/** The window's ticket called or being served, if any. */
export function currentTicketOf(db: Db, windowId: string) {
  return (
    db
      .selectFrom('queue_ticket')
      .selectAll()
      .where('window_id', '=', windowId)
      // Literals, not parameters: a generic plan must see they match the partial index
      // (queue_ticket_window_current_idx, WHERE status IN ('called', 'serving')).
      .where(sql<boolean>`status IN ('called', 'serving')`)
      .executeTakeFirst()
  );
}

/**
 * The oldest waiting ticket of a group today, priority or not, taken with a row lock that
 * another caller skips: two windows calling at once never get the same ticket.
 */
export function oldestWaiting(trx: Db, groupId: string, day: string, priority: boolean) {
  return trx
    .selectFrom('queue_ticket')
    .selectAll()
    .where('group_id', '=', groupId)
    .where('day', '=', day)
    .where('status', '=', 'waiting')
    .where('priority', priority ? 'is not' : 'is', null)
    .orderBy('issued_at')
    .orderBy('seq')
    .limit(1)
    .forUpdate()
    .skipLocked()
    .executeTakeFirst();
}

export async function nextSeq(trx: Db, groupId: string, day: string): Promise<number> {
  const row = await sql<{ last_no: number }>`
    INSERT INTO queue_day_seq (group_id, day, last_no) VALUES (${groupId}, ${day}, 1)
    ON CONFLICT (group_id, day) DO UPDATE SET last_no = queue_day_seq.last_no + 1
    RETURNING last_no`.execute(trx);
  return row.rows[0]!.last_no;
}

export function insertTicket(trx: Db, values: Insertable<QueueTicketTable>): Promise<TicketRow> {
  return trx.insertInto('queue_ticket').values(values).returningAll().executeTakeFirstOrThrow();
}

export function updateTicket(
  trx: Db,
  id: string,
  from: QueueTicketStatus,
  patch: Partial<Omit<TicketRow, 'id' | 'created_at'>>,
) {
  return trx
    .updateTable('queue_ticket')
    .set(patch)
    .where('id', '=', id)
    .where('status', '=', from)
    .executeTakeFirstOrThrow();
}

/** How many others wait in the ticket's group today. */
export async function waitingAhead(trx: Db, ticket: TicketRow): Promise<number> {
  const row = await trx
    .selectFrom('queue_ticket')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('group_id', '=', ticket.group_id)
    .where('day', '=', ticket.day)
    .where('status', '=', 'waiting')
    .where('id', '!=', ticket.id)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

interface WaitingCount {
  group_id: string;
  waiting: number;
  priority_waiting: number;
}

export async function waitingCounts(db: Db, servicePointId: string, day: string) {
  const rows = await db
    .selectFrom('queue_ticket')
    .select([
      'group_id',
      sql<number>`COUNT(*)::int`.as('waiting'),
      sql<number>`COUNT(*) FILTER (WHERE priority IS NOT NULL)::int`.as('priority_waiting'),
    ])
    .where('service_point_id', '=', servicePointId)
    .where('day', '=', day)
    .where('status', '=', 'waiting')
    .groupBy('group_id')
    .execute();
  return new Map(rows.map((r) => [r.group_id, r as WaitingCount]));
}

/** A day's tickets of a point, every column (the figures of the day). */
export function listDayTickets(db: Db, servicePointId: string, day: string) {
  return db
    .selectFrom('queue_ticket')
    .selectAll()
    .where('service_point_id', '=', servicePointId)
    .where('day', '=', day)
    .execute();
}

// ---- tickets as shown: with their point's code, group and window names ----

export interface TicketView extends TicketRow {
  sp_code: string;
  group_name: string;
  group_name_en: string;
  window_name: string | null;
}

function ticketViews(db: Db) {
  return db
    .selectFrom('queue_ticket as t')
    .innerJoin('queue_group as g', 'g.id', 't.group_id')
    .innerJoin('service_point as sp', 'sp.id', 't.service_point_id')
    .leftJoin('queue_window as w', 'w.id', 't.window_id')
    .selectAll('t')
    .select([
      'sp.code as sp_code',
      'g.name as group_name',
      'g.name_en as group_name_en',
      'w.name as window_name',
    ]);
}

export async function findTicketView(db: Db, id: string): Promise<TicketView | undefined> {
  return (await ticketViews(db).where('t.id', '=', id).executeTakeFirst()) as
    | TicketView
    | undefined;
}

export async function ticketView(db: Db, id: string): Promise<TicketView> {
  return (await ticketViews(db).where('t.id', '=', id).executeTakeFirstOrThrow()) as TicketView;
}

/** The window's ticket called or being served, if any, as shown. */
export async function currentTicketViewOf(
  db: Db,
  windowId: string,
): Promise<TicketView | undefined> {
  return (await ticketViews(db)
    .where('t.window_id', '=', windowId)
    .where('t.status', 'in', ['called', 'serving'])
    .executeTakeFirst()) as TicketView | undefined;
}

/** The tickets a window has finished with on `day`, the last called first. */
export async function handledBy(db: Db, windowId: string, day: string, limit: number) {
  return (await ticketViews(db)
    .where('t.window_id', '=', windowId)
    .where('t.day', '=', day)
    .where('t.status', 'in', ['done', 'no_show', 'transferred'])
    .orderBy('t.called_at', 'desc')
    .limit(limit)
    .execute()) as TicketView[];
}

/** A point's tickets of a day, in one status or all, oldest first. */
export async function listDayTicketViews(
  db: Db,
  servicePointId: string,
  day: string,
  status: QueueTicketStatus | undefined,
  limit: number,
) {
  let q = ticketViews(db).where('t.service_point_id', '=', servicePointId).where('t.day', '=', day);
  if (status) q = q.where('t.status', '=', status);
  return (await q
    .orderBy('t.issued_at')
    .orderBy('t.created_at')
    .limit(limit)
    .execute()) as TicketView[];
}

/** The ids of every ticket that carried this number on its day: one visit across transfers. */
export async function listVisitTicketIds(db: Db, ticket: TicketRow): Promise<string[]> {
  const rows = await db
    .selectFrom('queue_ticket')
    .select('id')
    .where('service_point_id', '=', ticket.service_point_id)
    .where('day', '=', ticket.day)
    .where('number', '=', ticket.number)
    .execute();
  return rows.map((r) => r.id);
}

// ---- history ----

export interface TicketEvent {
  ticket: Pick<TicketRow, 'id' | 'service_point_id' | 'day' | 'number'>;
  group: { name: string; name_en: string };
  event: string;
  from: QueueTicketStatus | null;
  to: QueueTicketStatus;
  window: { id: string; name: string } | null;
  actor: { userId: string; name: string } | null;
  payload?: Record<string, unknown> | undefined;
  requestId: string | null;
  at: Date;
}

export async function appendEvent(trx: Db, e: TicketEvent): Promise<number> {
  const row = await trx
    .insertInto('queue_ticket_event')
    .values({
      ticket_id: e.ticket.id,
      service_point_id: e.ticket.service_point_id,
      day: e.ticket.day,
      event: e.event,
      from_status: e.from,
      to_status: e.to,
      number: e.ticket.number,
      group_name: e.group.name,
      group_name_en: e.group.name_en,
      window_id: e.window?.id ?? null,
      window_name: e.window?.name ?? null,
      actor_user_id: e.actor?.userId ?? null,
      actor_name: e.actor?.name ?? null,
      payload: e.payload ? JSON.stringify(e.payload) : null,
      request_id: e.requestId,
      occurred_at: e.at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

export function listEvents(db: Db, ticketIds: string[]): Promise<TicketEventRow[]> {
  return db
    .selectFrom('queue_ticket_event')
    .selectAll()
    .where('ticket_id', 'in', ticketIds)
    .orderBy('id')
    .execute();
}

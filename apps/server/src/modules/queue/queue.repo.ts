import type { QueueGroup, QueueWindow, Ticket } from '@yimen/core';
import { type Selectable, sql } from 'kysely';
import type { Db } from '../../db/connection.ts';
import type {
  QueueGroupTable,
  QueueTicketStatus,
  QueueTicketTable,
  QueueWindowTable,
} from '../../db/schema.ts';
import { monthOf } from '../stats/stats.repo.ts';
import { BUCKETS, bucketOf } from './queue.histogram.ts';

/** The only SQL of the queue: every function takes the `trx` (or db) it is given. */

export type GroupRow = Selectable<QueueGroupTable>;
export type WindowRow = Selectable<QueueWindowTable>;
export type TicketRow = Selectable<QueueTicketTable>;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

// ---- groups ----

export function findGroup(db: Db, id: string, forUpdate = false) {
  let q = db.selectFrom('queue_group').selectAll().where('id', '=', id);
  if (forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}

export function listGroups(db: Db, servicePointId: string) {
  return db
    .selectFrom('queue_group')
    .selectAll()
    .where('service_point_id', '=', servicePointId)
    .orderBy('sort')
    .orderBy('prefix')
    .execute();
}

/** The window's groups, locked in id order (so two windows never wait on each other in a cycle). */
export function lockGroups(trx: Db, servicePointId: string, ids: string[]) {
  if (ids.length === 0) return Promise.resolve([] as GroupRow[]);
  return trx
    .selectFrom('queue_group')
    .selectAll()
    .where('service_point_id', '=', servicePointId)
    .where('id', 'in', ids)
    .orderBy('id')
    .forUpdate()
    .execute();
}

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

// ---- windows ----

export function findWindow(db: Db, id: string, forUpdate = false) {
  let q = db.selectFrom('queue_window').selectAll().where('id', '=', id);
  if (forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}

export function listWindows(db: Db, servicePointId: string) {
  return db
    .selectFrom('queue_window as w')
    .leftJoin('app_user as u', 'u.id', 'w.seated_user_id')
    .selectAll('w')
    .select('u.display_name as seated_name')
    .where('w.service_point_id', '=', servicePointId)
    .orderBy('w.created_at')
    .orderBy('w.name')
    .execute();
}

export async function seatedName(db: Db, userId: string | null): Promise<string | null> {
  if (!userId) return null;
  const u = await db
    .selectFrom('app_user')
    .select('display_name')
    .where('id', '=', userId)
    .executeTakeFirst();
  return u?.display_name ?? null;
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
  return db
    .selectFrom('queue_ticket')
    .selectAll()
    .where('window_id', '=', windowId)
    .where('status', 'in', ['called', 'serving'])
    .executeTakeFirst();
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

export interface TicketView extends TicketRow {
  sp_code: string;
  group_name: string;
  group_name_en: string;
  window_name: string | null;
}

export function ticketViews(db: Db) {
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

export async function ticketView(db: Db, id: string): Promise<TicketView> {
  return (await ticketViews(db).where('t.id', '=', id).executeTakeFirstOrThrow()) as TicketView;
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

export interface WaitingCount {
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

export function listEvents(db: Db, ticketIds: string[]) {
  return db
    .selectFrom('queue_ticket_event')
    .selectAll()
    .where('ticket_id', 'in', ticketIds)
    .orderBy('id')
    .execute();
}

// ---- the monthly rollup ----

export interface RollupAdd {
  tickets?: number;
  served?: number;
  noShow?: number;
  waitSec?: number;
  serveSec?: number;
}

/**
 * Adds to the point's row for the month of the ticket's day, in the caller's transaction:
 * counts, and one more in the bucket of each time measured. Only that row is locked.
 */
export async function bumpQueueStats(
  trx: Db,
  point: { id: string; region_code: string },
  day: string,
  add: RollupAdd,
): Promise<void> {
  const month = monthOf(day);
  await sql`
    INSERT INTO queue_stats_monthly (month, service_point_id, region_code, wait_hist, serve_hist)
    VALUES (${month}, ${point.id}, ${point.region_code},
            array_fill(0, ARRAY[${sql.lit(BUCKETS)}]), array_fill(0, ARRAY[${sql.lit(BUCKETS)}]))
    ON CONFLICT (service_point_id, month) DO NOTHING`.execute(trx);
  const sets = [
    sql`tickets = tickets + ${sql.lit(add.tickets ?? 0)}`,
    sql`served = served + ${sql.lit(add.served ?? 0)}`,
    sql`no_show = no_show + ${sql.lit(add.noShow ?? 0)}`,
  ];
  if (add.waitSec !== undefined) {
    const i = sql.lit(bucketOf(add.waitSec) + 1);
    sets.push(sql`wait_hist[${i}] = wait_hist[${i}] + 1`);
  }
  if (add.serveSec !== undefined) {
    const i = sql.lit(bucketOf(add.serveSec) + 1);
    sets.push(sql`serve_hist[${i}] = serve_hist[${i}] + 1`);
  }
  await sql`UPDATE queue_stats_monthly SET ${sql.join(sets)}
    WHERE service_point_id = ${point.id} AND month = ${month}`.execute(trx);
}

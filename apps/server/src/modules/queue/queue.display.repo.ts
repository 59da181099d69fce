import { sql } from 'kysely';
import type { Db } from '../../db/connection.ts';

/** What the hall display reads: windows and their numbers, calls, who waits. No names. */

export interface CallRow {
  id: number;
  number: string;
  window_name: string | null;
  group_name: string;
  group_name_en: string;
  event: string;
  occurred_at: Date;
}

/** The point's active windows with the number each has called or serves now. */
export async function listWindowsNow(db: Db, servicePointId: string) {
  const r = await sql<{ name: string; number: string | null; status: string | null }>`
    SELECT w.name, t.number, t.status
    FROM queue_window w
    LEFT JOIN queue_ticket t ON t.window_id = w.id AND t.status IN ('called', 'serving')
    WHERE w.service_point_id = ${servicePointId} AND w.active
    ORDER BY w.created_at, w.name`.execute(db);
  return r.rows;
}

/**
 * The point's calls and recalls, newest first: after an event id, among the given event ids
 * (none when the list is empty), on a day — whichever are given.
 */
export async function listCalls(
  db: Db,
  servicePointId: string,
  where: { afterId?: number; ids?: number[]; day?: string },
  limit: number,
): Promise<CallRow[]> {
  let q = db
    .selectFrom('queue_ticket_event')
    .select(['id', 'number', 'window_name', 'group_name', 'group_name_en', 'event', 'occurred_at'])
    .where('service_point_id', '=', servicePointId)
    .where('event', 'in', ['call', 'recall']);
  if (where.afterId !== undefined) q = q.where('id', '>', where.afterId);
  if (where.ids) q = q.where('id', 'in', where.ids.length ? where.ids : [0]);
  if (where.day !== undefined) q = q.where('day', '=', where.day);
  return (await q.orderBy('id', 'desc').limit(limit).execute()) as CallRow[];
}

/** The point's active groups, in display order, with how many wait in each on `day`. */
export async function waitingByGroup(db: Db, servicePointId: string, day: string) {
  const r = await sql<{ name: string; name_en: string; prefix: string; waiting: number }>`
    SELECT g.name, g.name_en, g.prefix, COUNT(t.id)::int AS waiting
    FROM queue_group g
    LEFT JOIN queue_ticket t ON t.group_id = g.id AND t.status = 'waiting' AND t.day = ${day}
    WHERE g.service_point_id = ${servicePointId} AND g.active
    GROUP BY g.id ORDER BY g.sort, g.prefix`.execute(db);
  return r.rows;
}

/** The newest history row of the point (0 when none): a display state's SSE id. */
export async function lastEventId(db: Db, servicePointId: string): Promise<number> {
  const last = await db
    .selectFrom('queue_ticket_event')
    .select((eb) => eb.fn.max('id').as('id'))
    .where('service_point_id', '=', servicePointId)
    .executeTakeFirst();
  return Number(last?.id ?? 0);
}

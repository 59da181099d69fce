import { type Insertable, sql } from 'kysely';
import type { Db } from '../../db/connection.ts';
import type { MessageLogTable } from '../../db/schema.ts';

/** The message log's rows: every exchange with the outside, both ways. */
export async function insertExchanges(db: Db, rows: Insertable<MessageLogTable>[]): Promise<void> {
  if (rows.length > 0) await db.insertInto('message_log').values(rows).execute();
}

/** Where a case is received and decided: whose administrators may read its exchanges. */
export function caseRegions(db: Db, applicationNo: string) {
  return db
    .selectFrom('application')
    .select(['received_region', 'deciding_region'])
    .where('application_no', '=', applicationNo)
    .executeTakeFirst();
}

/** The exchanges of one case, newest first, with the connector's code. */
export function exchangesOf(db: Db, applicationNo: string, limit: number) {
  return db
    .selectFrom('message_log as m')
    .leftJoin('department_system as s', 's.id', 'm.system_id')
    .selectAll('m')
    .select('s.code as system_code')
    .where('m.application_no', '=', applicationNo)
    .orderBy('m.created_at', 'desc')
    .orderBy('m.id', 'desc')
    .limit(limit)
    .execute();
}

/** Retention: exchanges older than `days`. */
export async function purgeExchanges(db: Db, days: number): Promise<number> {
  const r = await db
    .deleteFrom('message_log')
    .where('created_at', '<', sql<Date>`now() - make_interval(days => ${days})`)
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}

import type { SmsOutbound } from '@yimen/core';
import { sql } from 'kysely';
import type { Db } from '../../db/connection.ts';
import { outboxInsert } from '../outbox/outbox.repo.ts';

export interface NoticeRow {
  residentId: string;
  applicationId: string | null;
  kind: string;
  title: string;
  body: string;
}

/**
 * The in-app notice and its text message in one statement: the SMS row is the outbox's own
 * INSERT (written only if the resident has a mobile), after the notice's in one WITH.
 */
export async function insertNotice(trx: Db, n: NoticeRow, sms: SmsOutbound | null): Promise<void> {
  const notice = sql`INSERT INTO notification (resident_id, application_id, kind, title, body)
    VALUES (${n.residentId}, ${n.applicationId}, ${n.kind}, ${n.title}, ${n.body})`;
  const message = sms ? outboxInsert([sms]) : null;
  await (message ? sql`WITH notice AS (${notice}) ${message}` : notice).execute(trx);
}

/** A resident's notices, newest first. */
export function listNotices(db: Db, residentId: string, limit: number) {
  return db
    .selectFrom('notification')
    .select(['id', 'kind', 'title', 'body', 'application_id', 'created_at', 'read_at'])
    .where('resident_id', '=', residentId)
    .orderBy('created_at', 'desc')
    .limit(limit)
    .execute();
}

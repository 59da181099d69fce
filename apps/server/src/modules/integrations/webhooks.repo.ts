import type { IntegrationEvent } from '@yimen/core';
import { type Insertable, sql, type Updateable } from 'kysely';
import type { Db } from '../../db/connection.ts';
import type { WebhookSubscriptionTable } from '../../db/schema.ts';

/** Webhook subscriptions: who receives which case events, for which region. */
export function listWebhooks(db: Db) {
  return db.selectFrom('webhook_subscription').selectAll().orderBy('created_at').execute();
}

export function findWebhook(db: Db, id: string) {
  return db.selectFrom('webhook_subscription').selectAll().where('id', '=', id).executeTakeFirst();
}

export function insertWebhook(trx: Db, values: Insertable<WebhookSubscriptionTable>) {
  return trx
    .insertInto('webhook_subscription')
    .values(values)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function updateWebhook(trx: Db, id: string, set: Updateable<WebhookSubscriptionTable>) {
  return trx
    .updateTable('webhook_subscription')
    .set(set)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

export async function deleteWebhook(trx: Db, id: string): Promise<boolean> {
  const r = await trx.deleteFrom('webhook_subscription').where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows) === 1;
}

/**
 * Who receives a case event, in one round trip: the active webhook subscriptions to it (for
 * the case's deciding region or everywhere) and the active connectors that subscribe to it
 * and take the case's item (listing it, or listing none of their routing key).
 */
export async function eventReceivers(
  db: Db,
  event: IntegrationEvent,
  c: { decidingRegion: string; itemCode: string; systemKey: string | null },
) {
  const r = await sql<{ id: string; kind: 'subscription' | 'system' }>`
    SELECT w.id, 'subscription' AS kind FROM webhook_subscription w
    WHERE w.active AND ${event} = ANY(w.events)
      AND (w.region_code IS NULL OR ${c.decidingRegion} LIKE w.region_code || '%')
    UNION ALL
    SELECT s.id, 'system' AS kind FROM department_system s
    WHERE s.active AND ${event} = ANY(s.events)
      AND (${c.itemCode} = ANY(s.items) OR (cardinality(s.items) = 0 AND s.system_key = ${c.systemKey}))`.execute(
    db,
  );
  return r.rows;
}

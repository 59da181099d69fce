import { randomUUID } from 'node:crypto';
import { type OutboundMessage, orderingKeyOf } from '@yimen/core';
import { type RawBuilder, sql } from 'kysely';
import type { Db } from '../../db/connection.ts';

/**
 * The outbox table's one repository: every message that leaves the platform is written here
 * (`enqueue`, in the transaction of the change it reports), claimed and settled by the
 * dispatcher, and read by the admin console. The row's shape per topic is decided here and
 * nowhere else; the topic's handler reads it back (`OutboxRow.payload`).
 */

/**
 * Where a message queued behind an earlier one of its ordering key waits (migration 0006's
 * trigger puts it there): never due until the one ahead is settled and wakes it.
 */
export const QUEUED_BEHIND = new Date('9999-01-01T00:00:00Z');

interface Row {
  messageId: string;
  topic: string;
  orderingKey: string | null;
  applicationId: string | null;
  targetId: string | null;
  payload: unknown;
}

/** The row of a message. Events carry their message id as the event id receivers dedupe on. */
function rowOf(m: OutboundMessage): Row {
  const messageId = randomUUID();
  const base = { messageId, topic: m.topic, orderingKey: orderingKeyOf(m) };
  switch (m.topic) {
    case 'sms':
      return {
        ...base,
        applicationId: m.applicationId ?? null,
        targetId: null,
        payload: { mobile: 'mobile' in m.to ? m.to.mobile : '', purpose: m.purpose, body: m.body },
      };
    case 'department':
      return {
        ...base,
        applicationId: m.applicationId,
        targetId: m.systemId,
        payload: { reason: m.reason },
      };
    case 'webhook':
      return {
        ...base,
        applicationId: m.event.application.id,
        targetId: m.receiver.id,
        payload: { kind: m.receiver.kind, event: { eventId: messageId, ...m.event } },
      };
    case 'nats':
      return {
        ...base,
        applicationId: m.event.application.id,
        targetId: null,
        payload: { kind: 'nats', subject: m.subject, event: { eventId: messageId, ...m.event } },
      };
    case 'carrier':
      return {
        ...base,
        applicationId: null,
        targetId: m.carrierId,
        payload: { parcelId: m.parcelId, kind: m.kind, data: m.data },
      };
    case 'bank':
      return {
        ...base,
        applicationId: null,
        targetId: m.bankId,
        payload: { transactionId: m.transactionId, kind: m.kind, data: m.data },
      };
  }
}

const values = (r: Row) =>
  sql`(${r.messageId}::uuid, ${r.topic}, ${r.orderingKey}, ${r.applicationId}::uuid, ${r.targetId}::uuid, ${JSON.stringify(r.payload)}::jsonb)`;

/**
 * The INSERT that writes `messages`, as one statement. A text message to a resident is
 * written only if they have a mobile, looked up in the same statement. Another repository may
 * put this statement after its own in one WITH (a notice and its SMS: one round trip).
 */
export function outboxInsert(messages: readonly OutboundMessage[]): RawBuilder<unknown> | null {
  const direct: Row[] = [];
  const toResidents: { residentId: string; row: Row }[] = [];
  for (const m of messages) {
    if (m.topic === 'sms' && 'residentId' in m.to) {
      const row = rowOf(m);
      toResidents.push({ residentId: m.to.residentId, row });
    } else direct.push(rowOf(m));
  }
  const cols = sql`(message_id, topic, ordering_key, application_id, target_id, payload)`;
  const parts: RawBuilder<unknown>[] = [];
  if (direct.length > 0) parts.push(sql`VALUES ${sql.join(direct.map(values))}`);
  for (const { residentId, row } of toResidents) {
    const p = row.payload as { purpose: string; body: string };
    parts.push(sql`
      SELECT ${row.messageId}::uuid, ${row.topic}, ${row.orderingKey}, ${row.applicationId}::uuid, NULL::uuid,
        jsonb_build_object('mobile', r.mobile, 'purpose', ${p.purpose}::text, 'body', ${p.body}::text)
      FROM resident r WHERE r.id = ${residentId} AND r.mobile IS NOT NULL`);
  }
  if (parts.length === 0) return null;
  return sql`INSERT INTO outbox ${cols} ${sql.join(parts, sql` UNION ALL `)}`;
}

/** Writes the messages in the caller's transaction: they leave only if it commits. */
export async function enqueue(trx: Db, ...messages: OutboundMessage[]): Promise<void> {
  const insert = outboxInsert(messages);
  if (insert) await insert.execute(trx);
}

// The dispatcher's side.

export interface OutboxRow {
  id: number;
  /** The id the receiver deduplicates on: the same for every attempt. */
  messageId: string;
  topic: string;
  orderingKey: string | null;
  applicationId: string | null;
  /** The connector, subscription, carrier or bank the message is for, when the topic has several. */
  targetId: string | null;
  payload: unknown;
  attempts: number;
}

/**
 * Claims the oldest due rows, each the head of its ordering key, with a lease: FOR UPDATE
 * SKIP LOCKED, so several workers share the work. Messages queued behind a head are not due
 * at all, so a claim costs the same with ten messages queued or 100,000. In the caller's
 * transaction, which should commit at once (the lease is what holds the claim).
 */
export async function claimDue(
  trx: Db,
  topics: string[],
  batchSize: number,
  leaseMs: number,
): Promise<OutboxRow[]> {
  // The right plan is known: walk the pending index in due order and stop at the batch.
  // Without fresh statistics (PGlite has no autovacuum; a sudden backlog outruns it on
  // PostgreSQL) the planner would rather sort every due row on each claim.
  await sql`SET LOCAL enable_sort = off`.execute(trx);
  await sql`SET LOCAL enable_bitmapscan = off`.execute(trx);
  const rows = await sql<{
    id: number;
    message_id: string;
    topic: string;
    ordering_key: string | null;
    application_id: string | null;
    target_id: string | null;
    payload: unknown;
    attempts: number;
  }>`
    SELECT o.id, o.message_id, o.topic, o.ordering_key, o.application_id, o.target_id, o.payload, o.attempts
    FROM outbox o
    WHERE o.status = 'pending' AND o.next_attempt_at <= now() AND o.topic = ANY(${topics}::text[])
      AND (o.ordering_key IS NULL OR NOT EXISTS (
        SELECT 1 FROM outbox e WHERE e.ordering_key = o.ordering_key AND e.status = 'pending' AND e.id < o.id))
    ORDER BY o.next_attempt_at, o.id
    LIMIT ${batchSize}
    FOR UPDATE SKIP LOCKED`.execute(trx);
  if (rows.rows.length === 0) return [];
  const ids = rows.rows.map((r) => Number(r.id));
  await trx
    .updateTable('outbox')
    .set({ attempts: sql`attempts + 1`, next_attempt_at: new Date(Date.now() + leaseMs) })
    .where('id', 'in', ids)
    .execute();
  return rows.rows.map((r) => ({
    id: Number(r.id),
    messageId: r.message_id,
    topic: r.topic,
    orderingKey: r.ordering_key,
    applicationId: r.application_id,
    targetId: r.target_id,
    payload: r.payload,
    attempts: r.attempts + 1,
  }));
}

/**
 * A case's transaction enqueuing messages holds FOR SHARE on its queues' pending rows
 * (migration 0006's trigger) while it may wait for a row a settlement has already marked:
 * the two can deadlock. A settlement gives way rather than fail the case: it stops waiting
 * after a moment and is tried again.
 */
export async function giveWayQuickly(trx: Db): Promise<void> {
  await sql`SET LOCAL lock_timeout = '100ms'`.execute(trx);
}

export async function markSent(trx: Db, ids: number[]): Promise<void> {
  if (ids.length === 0) return;
  await trx
    .updateTable('outbox')
    .set({ status: 'sent', sent_at: new Date(), last_error: null })
    .where('id', 'in', ids)
    .execute();
}

export async function markFailed(
  trx: Db,
  id: number,
  f: { dead: boolean; error: string; nextAttemptAt: Date },
): Promise<void> {
  await trx
    .updateTable('outbox')
    .set({
      status: f.dead ? 'dead' : 'pending',
      last_error: f.error.slice(0, 1000),
      next_attempt_at: f.nextAttemptAt,
    })
    .where('id', '=', id)
    .execute();
}

/** Makes the next message of each key due, once the one ahead is sent or dead. */
export async function wakeHeads(trx: Db, keys: string[]): Promise<void> {
  if (keys.length === 0) return;
  // Driven from the keys: each key's head through the ordering index, then that row by id.
  await sql`
    UPDATE outbox o SET next_attempt_at = now()
    FROM unnest(${keys}::text[]) AS k(key)
    CROSS JOIN LATERAL (SELECT id FROM outbox WHERE ordering_key = k.key AND status = 'pending'
                        ORDER BY id LIMIT 1) head
    WHERE o.id = head.id AND o.next_attempt_at = ${QUEUED_BEHIND}`.execute(trx);
}

/**
 * A safety net for messages left queued behind a head that is gone (settled by hand, or a
 * database edited outside the dispatcher): wakes every queue head that is not due.
 */
export async function wakeStrandedQueues(db: Db): Promise<number> {
  const r = await sql`
    UPDATE outbox o SET next_attempt_at = now()
    WHERE o.status = 'pending' AND o.next_attempt_at = ${QUEUED_BEHIND}
      AND NOT EXISTS (SELECT 1 FROM outbox e WHERE e.ordering_key = o.ordering_key
                        AND e.status = 'pending' AND e.id < o.id)`.execute(db);
  return Number(r.numAffectedRows ?? 0);
}

/** Retention: delivered messages older than `days` go (with the message log that recorded them). */
export async function purgeSent(db: Db, days: number): Promise<void> {
  await db
    .deleteFrom('outbox')
    .where('status', '=', 'sent')
    .where('sent_at', '<', sql<Date>`now() - make_interval(days => ${days})`)
    .execute();
}

// The admin console's side.

/** Per topic: the backlog, its oldest message, and the dead letters. */
export function backlogByTopic(db: Db) {
  return db
    .selectFrom('outbox')
    .select([
      'topic',
      sql<number>`count(*) FILTER (WHERE status = 'pending')`.as('pending'),
      sql<number>`count(*) FILTER (WHERE status = 'dead')`.as('dead'),
      sql<Date | null>`min(created_at) FILTER (WHERE status = 'pending')`.as('oldest'),
    ])
    .where('status', 'in', ['pending', 'dead'])
    .groupBy('topic')
    .orderBy('topic')
    .execute();
}

/** Per receiver (connector, subscription…): pending, dead, failing, and the last error. */
export async function backlogByTarget(db: Db, targetIds: string[]) {
  if (targetIds.length === 0) return new Map<string, TargetBacklog>();
  const rows = await sql<{
    target_id: string;
    pending: number;
    dead: number;
    failing: number;
    last_error: string | null;
  }>`
    SELECT t.id AS target_id,
      (SELECT count(*) FROM outbox o WHERE o.target_id = t.id AND o.status = 'pending') AS pending,
      (SELECT count(*) FROM outbox o WHERE o.target_id = t.id AND o.status = 'dead') AS dead,
      (SELECT count(*) FROM outbox o
        WHERE o.target_id = t.id AND o.status = 'pending' AND o.attempts > 0) AS failing,
      (SELECT o.last_error FROM outbox o
        WHERE o.target_id = t.id AND o.status IN ('pending', 'dead') AND o.last_error IS NOT NULL
        ORDER BY o.id DESC LIMIT 1) AS last_error
    FROM unnest(${targetIds}::uuid[]) AS t(id)`.execute(db);
  return new Map(
    rows.rows.map((r) => [
      r.target_id,
      {
        pending: Number(r.pending),
        dead: Number(r.dead),
        failing: Number(r.failing),
        lastError: r.last_error,
      },
    ]),
  );
}
export interface TargetBacklog {
  pending: number;
  dead: number;
  failing: number;
  lastError: string | null;
}

/** Rows of one status, newest first, with the case and the receiver they are for. */
export function listMessages(
  db: Db,
  q: {
    status: 'pending' | 'sent' | 'dead';
    topic?: string | undefined;
    targetId?: string | undefined;
    applicationNo?: string | undefined;
    limit: number;
    before?: number | undefined;
  },
) {
  return db
    .selectFrom('outbox as o')
    .leftJoin('application as a', 'a.id', 'o.application_id')
    .leftJoin('department_system as s', 's.id', 'o.target_id')
    .leftJoin('webhook_subscription as w', 'w.id', 'o.target_id')
    .select([
      'o.id',
      'o.message_id',
      'o.topic',
      'o.application_id',
      'o.status',
      'o.attempts',
      'o.next_attempt_at',
      'o.last_error',
      'o.created_at',
      'o.sent_at',
      'o.replayed_at',
      'a.application_no',
      sql<string | null>`coalesce(s.code, w.name)`.as('target'),
    ])
    .where('o.status', '=', q.status)
    .$if(q.topic !== undefined, (b) => b.where('o.topic', '=', q.topic!))
    .$if(q.targetId !== undefined, (b) => b.where('o.target_id', '=', q.targetId!))
    .$if(q.applicationNo !== undefined, (b) => b.where('a.application_no', '=', q.applicationNo!))
    .$if(q.before !== undefined, (b) => b.where('o.id', '<', q.before!))
    .orderBy('o.id', 'desc')
    .limit(q.limit + 1)
    .execute();
}

export function findForUpdate(trx: Db, id: number) {
  return trx
    .selectFrom('outbox')
    .select(['id', 'status', 'topic', 'message_id', 'attempts', 'last_error'])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

/** A dead letter back to pending with a fresh retry budget and the same message id. */
export async function revive(trx: Db, id: number): Promise<void> {
  await trx
    .updateTable('outbox')
    .set({ status: 'pending', attempts: 0, next_attempt_at: new Date(), replayed_at: new Date() })
    .where('id', '=', id)
    .execute();
}

import { sql } from 'kysely';
import type { AppContext } from '../../app-context.ts';
import type { Actor, RequestMeta } from '../../auth/actor.ts';
import { AppError } from '../../errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { QUEUED_BEHIND } from '../outbox/dispatcher.ts';
import { requireIntegrationAdmin } from './systems.service.ts';

/**
 * What the admin page shows of the outbox: per topic, the backlog and the dead letters;
 * then the rows of one status, newest first, with the case and the receiver they are for.
 */
export async function listOutbox(
  ctx: AppContext,
  actor: Actor,
  q: {
    status: 'pending' | 'sent' | 'dead';
    topic?: string | undefined;
    targetId?: string | undefined;
    applicationNo?: string | undefined;
    limit: number;
    before?: number | undefined;
  },
) {
  requireIntegrationAdmin(actor);
  const { db } = ctx.database;
  const summary = await db
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
  const rows = await db
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
  const page = rows.slice(0, q.limit);
  return {
    summary: summary.map((s) => ({
      topic: s.topic,
      pending: Number(s.pending),
      dead: Number(s.dead),
      oldestPendingAt: s.oldest ? new Date(s.oldest).toISOString() : null,
    })),
    items: page.map((r) => ({
      id: Number(r.id),
      messageId: r.message_id,
      topic: r.topic,
      target: r.target,
      applicationId: r.application_id,
      applicationNo: r.application_no,
      status: r.status,
      attempts: r.attempts,
      // null: queued behind an earlier message of its case, for the same receiver.
      nextAttemptAt:
        r.next_attempt_at.getTime() === QUEUED_BEHIND.getTime()
          ? null
          : r.next_attempt_at.toISOString(),
      lastError: r.last_error,
      createdAt: r.created_at.toISOString(),
      sentAt: r.sent_at?.toISOString() ?? null,
      replayedAt: r.replayed_at?.toISOString() ?? null,
    })),
    nextBefore: rows.length > q.limit ? Number(page[page.length - 1]!.id) : null,
  };
}

/**
 * One-click replay of a dead letter: back to pending with a fresh retry budget and the same
 * message id, so a receiver that did get it after all still deduplicates. Audited.
 */
export async function replayDeadLetter(
  ctx: AppContext,
  actor: Actor,
  meta: RequestMeta,
  id: number,
) {
  requireIntegrationAdmin(actor);
  return ctx.database.db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('outbox')
      .select(['id', 'status', 'topic', 'message_id', 'attempts', 'last_error'])
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    if (!row) throw new AppError('OUTBOX_MESSAGE_NOT_FOUND', { id });
    if (row.status !== 'dead') throw new AppError('NOT_REPLAYABLE', { id, status: row.status });
    await trx
      .updateTable('outbox')
      .set({ status: 'pending', attempts: 0, next_attempt_at: new Date(), replayed_at: new Date() })
      .where('id', '=', id)
      .execute();
    await recordAudit(trx, {
      actor,
      meta,
      action: 'integration.outbox.replay',
      targetType: 'outbox',
      targetId: String(id),
      before: { status: 'dead', attempts: row.attempts, lastError: row.last_error },
      after: { status: 'pending', topic: row.topic, messageId: row.message_id },
    });
    return { id, status: 'pending' as const, messageId: row.message_id };
  });
}

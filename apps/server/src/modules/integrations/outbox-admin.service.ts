import type { AppContext } from '../../app-context.ts';
import type { Actor, RequestMeta } from '../../auth/actor.ts';
import type { Db } from '../../db/connection.ts';
import { AppError } from '../../errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import * as outbox from '../outbox/outbox.repo.ts';
import { requireIntegrationAdmin } from './systems.service.ts';

/**
 * What the admin page shows of the outbox: per topic, the backlog and the dead letters;
 * then the rows of one status, newest first, with the case and the receiver they are for.
 */
export async function listOutbox(
  ctx: AppContext,
  actor: Actor,
  q: Parameters<typeof outbox.listMessages>[1],
) {
  requireIntegrationAdmin(actor);
  const { db } = ctx.database;
  const summary = await outbox.backlogByTopic(db);
  const rows = await outbox.listMessages(db, q);
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
        r.next_attempt_at.getTime() === outbox.QUEUED_BEHIND.getTime()
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
export async function replayDeadLetter(trx: Db, actor: Actor, meta: RequestMeta, id: number) {
  requireIntegrationAdmin(actor);
  const row = await outbox.findForUpdate(trx, id);
  if (!row) throw new AppError('OUTBOX_MESSAGE_NOT_FOUND', { id });
  if (row.status !== 'dead') throw new AppError('NOT_REPLAYABLE', { id, status: row.status });
  await outbox.revive(trx, id);
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
}

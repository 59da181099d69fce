import type { AppContext } from '../../app-context.ts';
import type { Actor, RequestMeta } from '../../auth/actor.ts';
import { AppError } from '../../errors.ts';
import { recordAudit } from '../audit/audit.service.ts';

export async function listMySessions(ctx: AppContext, actor: Actor) {
  const rows = await ctx.database.db
    .selectFrom('user_session')
    .select(['id', 'kind', 'created_at', 'last_seen_at', 'expires_at', 'ip', 'user_agent'])
    .where('user_id', '=', actor.userId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', new Date())
    .orderBy('last_seen_at', 'desc')
    .limit(100)
    .execute();
  return {
    items: rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      createdAt: r.created_at.toISOString(),
      lastSeenAt: r.last_seen_at.toISOString(),
      expiresAt: r.expires_at.toISOString(),
      ip: r.ip,
      userAgent: r.user_agent,
      current: r.id === actor.sessionId,
    })),
  };
}

/** Signs one of one's own sessions out; another user's session is "not found". */
export async function revokeMySession(
  ctx: AppContext,
  actor: Actor,
  meta: RequestMeta,
  sessionId: string,
): Promise<void> {
  await ctx.database.db.transaction().execute(async (trx) => {
    const result = await trx
      .updateTable('user_session')
      .set({ revoked_at: new Date() })
      .where('id', '=', sessionId)
      .where('user_id', '=', actor.userId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) throw new AppError('SESSION_NOT_FOUND');
    await recordAudit(trx, {
      actor,
      meta,
      action: 'auth.session.revoke',
      targetType: 'session',
      targetId: sessionId,
    });
  });
}

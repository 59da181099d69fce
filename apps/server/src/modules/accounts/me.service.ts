import { ancestorCodes, type Me } from '@yimen/core';
import type { Actor, RequestMeta } from '../../auth/actor.ts';
import type { Db } from '../../db/connection.ts';
import { AppError, type Lang } from '../../errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { findRegions } from '../regions/regions.repo.ts';
import { presentMe, presentSession } from './accounts.presenter.ts';
import { listLiveSessions, revokeSessions } from './sessions.repo.ts';
import { findMeFacts } from './users.repo.ts';

/** The signed-in user, with their service point's region path from the province down. */
export async function getMe(db: Db, actor: Actor, lang: Lang): Promise<Me> {
  const user = await findMeFacts(db, actor.userId);
  const regionCode = actor.servicePoint?.regionCode;
  const path = regionCode
    ? (await findRegions(db, [...ancestorCodes(regionCode), regionCode]))
        .sort((a, b) => a.code.length - b.code.length)
        .map((r) => ({ code: r.code, name: r.name, level: r.level }))
    : [];
  return presentMe(actor, user, path, lang);
}

export async function listMySessions(db: Db, actor: Actor) {
  const rows = await listLiveSessions(db, actor.userId);
  return { items: rows.map((r) => presentSession(r, actor.sessionId)) };
}

/** Signs one of one's own sessions out; another user's session is "not found". */
export async function revokeMySession(
  trx: Db,
  actor: Actor,
  meta: RequestMeta,
  sessionId: string,
): Promise<void> {
  if (!(await revokeSessions(trx, actor.userId, { only: sessionId })))
    throw new AppError('SESSION_NOT_FOUND');
  await recordAudit(trx, {
    actor,
    meta,
    action: 'auth.session.revoke',
    targetType: 'session',
    targetId: sessionId,
  });
}

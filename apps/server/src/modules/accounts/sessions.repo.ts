import type { Role } from '@yimen/core';
import { sql } from 'kysely';
import type { Db } from '../../db/connection.ts';

/** Sign-in sessions (user_session): a web cookie or an API bearer token, kept as its hash. */

export type SessionKind = 'cookie' | 'bearer';

export async function insertSession(
  trx: Db,
  s: {
    userId: string;
    kind: SessionKind;
    tokenHash: string;
    csrfToken: string | null;
    ip: string | null;
    userAgent: string | null;
    expiresAt: Date;
  },
): Promise<string> {
  const row = await trx
    .insertInto('user_session')
    .values({
      user_id: s.userId,
      kind: s.kind,
      token_hash: s.tokenHash,
      csrf_token: s.csrfToken,
      ip: s.ip,
      user_agent: s.userAgent,
      expires_at: s.expiresAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

interface SessionWithUser {
  id: string;
  kind: SessionKind;
  csrf_token: string | null;
  expires_at: Date;
  revoked_at: Date | null;
  last_seen_at: Date;
  user_id: string;
  user_kind: 'staff' | 'citizen';
  display_name: string;
  username: string | null;
  active: boolean;
  department: string | null;
  resident_id: string | null;
  sp_id: string | null;
  sp_code: string | null;
  sp_name: string | null;
  sp_region: string | null;
  roles: Role[] | null;
}

/** The session behind a token hash, live or not, with its user, roles and service point. */
export function findSessionByToken(
  db: Db,
  tokenHash: string,
  kind: SessionKind,
): Promise<SessionWithUser | undefined> {
  return sql<SessionWithUser>`
    SELECT s.id, s.kind, s.csrf_token, s.expires_at, s.revoked_at, s.last_seen_at,
           u.id AS user_id, u.kind AS user_kind, u.display_name, u.username, u.active,
           u.department, u.resident_id,
           sp.id AS sp_id, sp.code AS sp_code, sp.name AS sp_name, sp.region_code AS sp_region,
           ARRAY(SELECT r.role FROM user_role r WHERE r.user_id = u.id ORDER BY r.role) AS roles
    FROM user_session s
    JOIN app_user u ON u.id = s.user_id
    LEFT JOIN service_point sp ON sp.id = u.service_point_id
    WHERE s.token_hash = ${tokenHash} AND s.kind = ${kind}`
    .execute(db)
    .then((r) => r.rows[0]);
}

export async function touchSession(db: Db, id: string): Promise<void> {
  await db
    .updateTable('user_session')
    .set({ last_seen_at: new Date() })
    .where('id', '=', id)
    .execute();
}

/** A user's live sessions, the most recently used first. */
export function listLiveSessions(db: Db, userId: string) {
  return db
    .selectFrom('user_session')
    .select(['id', 'kind', 'created_at', 'last_seen_at', 'expires_at', 'ip', 'user_agent'])
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', new Date())
    .orderBy('last_seen_at', 'desc')
    .limit(100)
    .execute();
}

export type LiveSessionRow = Awaited<ReturnType<typeof listLiveSessions>>[number];

/**
 * Signs a user's live sessions out: all of them, `only` one (false when it is not theirs or
 * already over), or all `except` one (the session making the change). Answers whether any was.
 */
export async function revokeSessions(
  trx: Db,
  userId: string,
  which: { only?: string; except?: string } = {},
): Promise<boolean> {
  let q = trx.updateTable('user_session').set({ revoked_at: new Date() });
  if (which.only !== undefined) q = q.where('id', '=', which.only);
  q = q.where('user_id', '=', userId);
  if (which.except !== undefined) q = q.where('id', '<>', which.except);
  const result = await q.where('revoked_at', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

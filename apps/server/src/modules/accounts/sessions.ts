import { createHash, randomBytes } from 'node:crypto';
import type { Role } from '@yimen/core';
import { sql } from 'kysely';
import { type Actor, rolesOf } from '../../auth/actor.ts';
import type { Db } from '../../db/connection.ts';

export const SESSION_COOKIE = 'yimen_session';
export const CSRF_COOKIE = 'yimen_csrf';
export const CSRF_HEADER = 'x-csrf-token';

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

export interface NewSession {
  id: string;
  token: string;
  csrfToken: string | null;
  expiresAt: Date;
}

/** Opens a session; the token is returned once and only its hash is kept. */
export async function createSession(
  db: Db,
  params: {
    userId: string;
    kind: 'cookie' | 'bearer';
    ttlMs: number;
    ip: string | null;
    userAgent: string | null;
  },
): Promise<NewSession> {
  const token = newToken();
  const csrfToken = params.kind === 'cookie' ? newToken() : null;
  const expiresAt = new Date(Date.now() + params.ttlMs);
  const row = await db
    .insertInto('user_session')
    .values({
      user_id: params.userId,
      kind: params.kind,
      token_hash: hashToken(token),
      csrf_token: csrfToken,
      ip: params.ip,
      user_agent: params.userAgent?.slice(0, 300) ?? null,
      expires_at: expiresAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, token, csrfToken, expiresAt };
}

export interface ResolvedSession {
  actor: Actor;
  csrfToken: string | null;
  lastSeenAt: Date;
}

export type SessionProblem = 'unknown' | 'expired' | 'revoked' | 'disabled';

/** Finds the live session behind a token, with the user, roles and service point. */
export async function resolveSession(
  db: Db,
  token: string,
  method: 'cookie' | 'bearer',
): Promise<ResolvedSession | SessionProblem> {
  const row = await sql<{
    id: string;
    kind: 'cookie' | 'bearer';
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
  }>`
    SELECT s.id, s.kind, s.csrf_token, s.expires_at, s.revoked_at, s.last_seen_at,
           u.id AS user_id, u.kind AS user_kind, u.display_name, u.username, u.active,
           u.department, u.resident_id,
           sp.id AS sp_id, sp.code AS sp_code, sp.name AS sp_name, sp.region_code AS sp_region,
           ARRAY(SELECT r.role FROM user_role r WHERE r.user_id = u.id ORDER BY r.role) AS roles
    FROM user_session s
    JOIN app_user u ON u.id = s.user_id
    LEFT JOIN service_point sp ON sp.id = u.service_point_id
    WHERE s.token_hash = ${hashToken(token)} AND s.kind = ${method}`
    .execute(db)
    .then((r) => r.rows[0]);
  if (!row) return 'unknown';
  if (row.revoked_at) return 'revoked';
  if (new Date(row.expires_at).getTime() <= Date.now()) return 'expired';
  if (!row.active) return 'disabled';
  const roles = row.user_kind === 'staff' ? (row.roles ?? []) : [];
  return {
    csrfToken: row.csrf_token,
    lastSeenAt: new Date(row.last_seen_at),
    actor: {
      userId: row.user_id,
      kind: row.user_kind,
      name: row.display_name,
      username: row.username,
      ...rolesOf(roles),
      servicePoint:
        row.sp_id && row.sp_code && row.sp_name && row.sp_region
          ? { id: row.sp_id, code: row.sp_code, name: row.sp_name, regionCode: row.sp_region }
          : null,
      department: row.department,
      residentId: row.resident_id,
      sessionId: row.id,
      authMethod: method,
    },
  };
}

import { createHash, randomBytes } from 'node:crypto';
import { type Actor, rolesOf } from '../../auth/actor.ts';
import type { Db } from '../../db/connection.ts';
import { findSessionByToken, insertSession, type SessionKind } from './sessions.repo.ts';

export const SESSION_COOKIE = 'yimen_session';
export const CSRF_COOKIE = 'yimen_csrf';
export const CSRF_HEADER = 'x-csrf-token';

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function newToken(): string {
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
    kind: SessionKind;
    ttlMs: number;
    ip: string | null;
    userAgent: string | null;
  },
): Promise<NewSession> {
  const token = newToken();
  const csrfToken = params.kind === 'cookie' ? newToken() : null;
  const expiresAt = new Date(Date.now() + params.ttlMs);
  const id = await insertSession(db, {
    userId: params.userId,
    kind: params.kind,
    tokenHash: hashToken(token),
    csrfToken,
    ip: params.ip,
    userAgent: params.userAgent?.slice(0, 300) ?? null,
    expiresAt,
  });
  return { id, token, csrfToken, expiresAt };
}

interface ResolvedSession {
  actor: Actor;
  csrfToken: string | null;
  lastSeenAt: Date;
}

export type SessionProblem = 'unknown' | 'expired' | 'revoked' | 'disabled';

/** Finds the live session behind a token, with the user, roles and service point. */
export async function resolveSession(
  db: Db,
  token: string,
  method: SessionKind,
): Promise<ResolvedSession | SessionProblem> {
  const row = await findSessionByToken(db, hashToken(token), method);
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

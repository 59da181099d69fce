import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../app-context.ts';
import { AppError } from '../errors.ts';
import { touchSession } from '../modules/accounts/sessions.repo.ts';
import {
  CSRF_HEADER,
  resolveSession,
  SESSION_COOKIE,
  type SessionProblem,
} from '../modules/accounts/sessions.ts';
import type { Actor, RequestMeta } from './actor.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in user, or null. Routes that need one call `requireActor(req)`. */
    actor: Actor | null;
    /** Why a presented credential was not accepted, so the 401 can say so. */
    authProblem: SessionProblem | null;
    meta: RequestMeta;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const TOUCH_EVERY_MS = 60_000;

/**
 * Resolves the caller on every request: a bearer token (API clients) or the session cookie
 * (the web app). Cookie sessions must send the CSRF token on anything that changes state; a
 * bearer token cannot be sent by a foreign page, so it needs none.
 */
export function installAuth(app: FastifyInstance, ctx: AppContext): void {
  const { db } = ctx.database;
  app.decorateRequest('actor', null);
  app.decorateRequest('authProblem', null);
  app.decorateRequest('meta', null as unknown as RequestMeta);

  app.addHook('onRequest', async (req) => {
    req.meta = { requestId: req.id, ip: req.ip ?? null };
    const header = req.headers.authorization;
    let token: string | undefined;
    let method: 'cookie' | 'bearer' = 'bearer';
    if (header) {
      const m = /^Bearer\s+([A-Za-z0-9_-]{20,200})$/.exec(header);
      if (!m) {
        req.authProblem = 'unknown';
        return;
      }
      token = m[1];
    } else {
      token = req.cookies?.[SESSION_COOKIE];
      method = 'cookie';
    }
    if (!token) return;
    const resolved = await resolveSession(db, token, method);
    if (typeof resolved === 'string') {
      req.authProblem = resolved;
      return;
    }
    if (method === 'cookie' && !SAFE_METHODS.has(req.method)) {
      const sent = req.headers[CSRF_HEADER];
      if (typeof sent !== 'string' || sent !== resolved.csrfToken) {
        throw new AppError('CSRF_FAILED');
      }
    }
    req.actor = resolved.actor;
    if (Date.now() - resolved.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
      await touchSession(db, resolved.actor.sessionId);
    }
  });
}

/** The signed-in actor, or 401 saying whether the credential was missing or bad. */
export function requireActor(req: FastifyRequest): Actor {
  if (req.actor) return req.actor;
  throw new AppError(req.authProblem ? 'INVALID_TOKEN' : 'UNAUTHENTICATED');
}

export function requireStaffActor(req: FastifyRequest): Actor {
  const actor = requireActor(req);
  if (actor.kind !== 'staff') throw new AppError('FORBIDDEN', { permission: 'staff' });
  return actor;
}

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../app-context.ts';
import { AppError } from '../../errors.ts';
import { recordRefusal } from '../audit/audit.service.ts';
import { logExchange } from './message-log.ts';
import { checkSignature, H, SIGNATURE_WINDOW_S } from './signing.ts';
import { type Connector, findSystemByClientId, openConnector, useNonce } from './systems.repo.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The exact bytes of the body, which the signature covers. */
    rawBody?: Buffer;
    /** The department system that signed this request. */
    department?: Connector;
    refusal?: string;
  }
}

/**
 * The inbound API's own JSON parser keeps the raw bytes: a signature over a re-serialised
 * body would not be over what the sender signed. Only inside the inbound plugin.
 */
export function keepRawJsonBody(app: FastifyInstance): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (req, body, done) => {
    const raw = body as Buffer;
    req.rawBody = raw;
    if (raw.length === 0) return done(null, undefined);
    try {
      done(null, JSON.parse(raw.toString('utf8')));
    } catch {
      const err = Object.assign(new SyntaxError('invalid JSON'), {
        statusCode: 400,
        code: 'FST_ERR_CTP_INVALID_JSON_BODY',
      });
      done(err, undefined);
    }
  });
}

/**
 * Authenticates a department system's call: a known, active client id; a signature over
 * method, path, timestamp, nonce and body hash that its key verifies; a timestamp within
 * five minutes; a nonce never seen before. A refusal is written to the message log and the
 * audit trail before the 401 goes out.
 */
export function authenticateDepartment(ctx: AppContext) {
  const { db } = ctx.database;
  return async (req: FastifyRequest): Promise<void> => {
    const clientId = req.headers[H.system];
    const refuse = async (reason: string, system: Connector | null): Promise<never> => {
      req.refusal = reason;
      await recordRefusal(db, {
        actor: null,
        meta: req.meta,
        action: 'integration.inbound.refused',
        targetType: 'department_system',
        targetId: system?.id,
        // A known system's refusals join its chain; unknown callers the public shards.
        ...(system ? { chain: `dept:${system.code}` } : {}),
        after: {
          reason,
          clientId: typeof clientId === 'string' ? clientId.slice(0, 64) : null,
          method: req.method,
          url: req.url.split('?')[0],
        },
      }).catch((err) => req.log.error({ err }, 'could not audit a refused department call'));
      throw new AppError('DEPARTMENT_AUTH_FAILED', { reason });
    };
    if (typeof clientId !== 'string' || clientId.length === 0) return refuse('unsigned', null);
    const row = await findSystemByClientId(db, clientId);
    if (!row?.active) return refuse('unknown system', null);
    const connector = openConnector(ctx.keys, row);
    req.department = connector;
    const problem = checkSignature(
      req.headers,
      { method: req.method, path: req.url, body: req.rawBody ?? '' },
      connector.verifying,
    );
    if (problem) return refuse(problem, connector);
    const nonce = req.headers[H.nonce] as string;
    const timestamp = Number(req.headers[H.timestamp]);
    const expires = new Date((timestamp + SIGNATURE_WINDOW_S + 60) * 1000);
    if (!(await useNonce(db, row.id, nonce, expires))) return refuse('replayed nonce', connector);
  };
}

/** Every inbound exchange, answered or refused, goes into the message log. */
export function logInbound(ctx: AppContext) {
  return async (req: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    const status = reply.statusCode;
    const params = (req.params ?? {}) as { applicationNo?: string };
    const responseBody = typeof payload === 'string' || Buffer.isBuffer(payload) ? payload : null;
    const messageId = req.headers[H.messageId];
    try {
      await logExchange(ctx.database.db, {
        direction: 'inbound',
        channel: req.method === 'GET' ? 'pull' : 'callback',
        systemId: req.department?.id ?? null,
        messageId: typeof messageId === 'string' ? messageId.slice(0, 100) : null,
        requestId: req.id,
        applicationNo: params.applicationNo ?? null,
        method: req.method,
        url: req.url,
        requestHeaders: pickHeaders(req.headers),
        requestBody: req.rawBody ?? null,
        statusCode: status,
        responseBody,
        outcome: req.refusal
          ? 'refused'
          : status < 400
            ? reply.getHeader('idempotent-replayed')
              ? 'replayed'
              : 'processed'
            : 'failed',
        error: req.refusal ?? (status >= 400 ? String(responseBody ?? '').slice(0, 500) : null),
        startedAt: new Date(Date.now() - reply.elapsedTime),
        durationMs: reply.elapsedTime,
      });
    } catch (err) {
      req.log.error({ err }, 'could not log an inbound exchange');
    }
    return payload;
  };
}

function pickHeaders(h: FastifyRequest['headers']): Record<string, unknown> {
  const keep = [
    H.system,
    H.timestamp,
    H.nonce,
    H.signature,
    H.messageId,
    H.requestId,
    'content-type',
    'user-agent',
  ];
  return Object.fromEntries(keep.filter((k) => h[k] !== undefined).map((k) => [k, h[k]]));
}

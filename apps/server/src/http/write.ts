import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../app-context.ts';
import { requireActor } from '../auth/auth-hooks.ts';
import { canonicalJson } from '../canonical-json.ts';
import type { Db } from '../db/connection.ts';
import { type IdempotencyClaim, runUnit } from '../db/unit-of-work.ts';
import { AppError } from '../errors.ts';

export const IDEMPOTENCY_HEADER = 'idempotency-key';
const KEY = /^[A-Za-z0-9_.:-]{8,100}$/;

const sha256 = (s: string | Buffer) => createHash('sha256').update(s).digest('hex');

function malformedHeader(header: string, zh: string, en: string): AppError {
  return new AppError('VALIDATION_FAILED', {}, [
    { field: `headers.${header}`, message: { zh, en } },
  ]);
}

/**
 * The signed-in user's Idempotency-Key for this request, as a claim for `write`: the write
 * then runs once per key, and a retry gets the first answer. `request` is what identifies the
 * request (`{ op, id, body }`). Required unless `optional`; null when optional and absent.
 */
export function userKey(
  req: FastifyRequest,
  request: unknown,
  opts: { optional?: boolean } = {},
): IdempotencyClaim | null {
  const key = req.headers[IDEMPOTENCY_HEADER];
  if (opts.optional && key === undefined) return null;
  if (typeof key !== 'string' || !KEY.test(key))
    throw malformedHeader(
      IDEMPOTENCY_HEADER,
      '缺少或格式错误的 Idempotency-Key 请求头（8–100 位字母数字）',
      'missing or malformed Idempotency-Key header (8–100 letters and digits)',
    );
  return {
    scope: 'user',
    ownerId: requireActor(req).userId,
    key,
    requestHash: sha256(canonicalJson(request)),
  };
}

/**
 * A department system's message id as a claim for `write`: the call runs once per (system,
 * message id); a repeat — the system retrying after a lost answer — gets the first answer
 * and moves nothing, the same id with other bytes is refused.
 */
export function systemMessage(
  req: FastifyRequest,
  systemId: string,
  header: string,
): IdempotencyClaim {
  const id = req.headers[header];
  if (typeof id !== 'string' || !KEY.test(id))
    throw malformedHeader(
      header,
      '缺少或格式错误的消息编号（8–100 位字母数字）',
      'missing or malformed message id (8–100 letters and digits)',
    );
  return { scope: 'system', ownerId: systemId, key: id, requestHash: sha256(req.rawBody ?? '') };
}

export interface WriteOptions {
  /** The status of a success: 200 by default; 204 sends no body. */
  status?: number;
  /** Run once per key (userKey, systemMessage); null or absent: every request runs. */
  once?: IdempotencyClaim | null;
  /** The work is one statement: no BEGIN/COMMIT around it (db/unit-of-work.ts). */
  oneStatement?: boolean;
}

/**
 * How every writing route runs its work: one unit of work (db/unit-of-work.ts) — the
 * transaction, the idempotency key when the route takes one, the hot rows last, and what must
 * follow the commit — then the answer, marked `idempotent-replayed` when it is a retry's.
 */
export async function write<R extends FastifyReply, T>(
  ctx: AppContext,
  req: FastifyRequest,
  reply: R,
  opts: WriteOptions,
  work: (trx: Db) => Promise<T>,
): Promise<R> {
  const status = opts.status ?? 200;
  const out = await runUnit(ctx.database.db, async (trx) => ({ status, body: await work(trx) }), {
    idempotency: opts.once ?? null,
    oneStatement: opts.oneStatement ?? false,
    onFollowerError: (err) => req.log.error({ err }, 'work after the commit failed'),
  });
  if (out.replayed) void reply.header('idempotent-replayed', 'true');
  await reply.status(out.status).send(out.status === 204 ? null : out.body);
  return reply;
}

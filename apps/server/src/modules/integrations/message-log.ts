import type { AppContext } from '../../app-context.ts';
import { type Actor, inJurisdiction } from '../../auth/actor.ts';
import type { Db } from '../../db/connection.ts';
import type { MessageLogTable } from '../../db/schema.ts';
import { AppError } from '../../errors.ts';
import { maskPersonalData } from '../audit/audit-mask.ts';
import type { HttpExchange } from './http-client.ts';
import * as repo from './message-log.repo.ts';
import { H, sha256Hex } from './signing.ts';
import { requireIntegrationAdmin } from './systems.service.ts';

/**
 * The message log (X-Road's lesson): every exchange with the outside, both ways, tied to the
 * case it belongs to. The SHA-256 is of the exact bytes that crossed the wire; the bodies kept
 * beside it have personal data masked, so the log itself is no leak.
 */
export interface Exchange {
  direction: 'outbound' | 'inbound';
  channel: 'department' | 'webhook' | 'nats' | 'callback' | 'pull';
  systemId?: string | null;
  subscriptionId?: string | null;
  outboxId?: number | null;
  messageId?: string | null;
  requestId?: string | null;
  applicationId?: string | null;
  applicationNo?: string | null;
  method?: string | null;
  url: string;
  requestHeaders?: Record<string, unknown>;
  requestBody?: string | Buffer | null;
  statusCode?: number | null;
  responseHeaders?: Record<string, unknown>;
  responseBody?: string | Buffer | null;
  outcome: string;
  error?: string | null;
  startedAt: Date;
  durationMs: number;
}

/**
 * What an outbound message's log entry takes from its delivery: the outbox row it sends and
 * the HTTP exchange as the hub saw it. The handler adds where it went and how it ended.
 */
export function outboundExchange(
  m: { id: number; messageId: string; applicationId: string | null },
  x: HttpExchange,
) {
  return {
    direction: 'outbound' as const,
    outboxId: m.id,
    messageId: m.messageId,
    applicationId: m.applicationId,
    method: x.method,
    url: x.url,
    requestHeaders: x.requestHeaders,
    requestBody: x.requestBody,
    statusCode: x.statusCode,
    responseHeaders: x.responseHeaders,
    responseBody: x.responseBody,
    startedAt: x.startedAt,
    durationMs: x.durationMs,
  };
}

const KEPT_BODY_CHARS = 16_000;
const SECRET_HEADERS = new Set([H.signature, 'authorization', 'cookie']);

function keptBody(body: string | Buffer | null | undefined): unknown {
  if (body === null || body === undefined || body.length === 0) return null;
  const text = typeof body === 'string' ? body : body.toString('utf8');
  try {
    return maskPersonalData(JSON.parse(text));
  } catch {
    return { text: text.slice(0, KEPT_BODY_CHARS) };
  }
}

function keptHeaders(h: Record<string, unknown> | undefined) {
  if (!h) return null;
  return Object.fromEntries(
    Object.entries(h).map(([k, v]) => [k, SECRET_HEADERS.has(k.toLowerCase()) ? '[signed]' : v]),
  );
}

function hashOf(body: string | Buffer | null | undefined): string | null {
  return body === null || body === undefined ? null : sha256Hex(body);
}

export function exchangeRow(e: Exchange) {
  const row: Omit<MessageLogTable, 'id' | 'created_at'> = {
    direction: e.direction,
    channel: e.channel,
    system_id: e.systemId ?? null,
    subscription_id: e.subscriptionId ?? null,
    outbox_id: e.outboxId ?? null,
    message_id: e.messageId ?? null,
    request_id: e.requestId ?? null,
    application_id: e.applicationId ?? null,
    application_no: e.applicationNo ?? null,
    method: e.method ?? null,
    url: e.url,
    request_headers: JSON.stringify(keptHeaders(e.requestHeaders)),
    request_body: JSON.stringify(keptBody(e.requestBody)),
    request_sha256: hashOf(e.requestBody),
    status_code: e.statusCode ?? null,
    response_headers: JSON.stringify(keptHeaders(e.responseHeaders)),
    response_body: JSON.stringify(keptBody(e.responseBody)),
    response_sha256: hashOf(e.responseBody),
    outcome: e.outcome,
    error: e.error ? e.error.slice(0, 2000) : null,
    started_at: e.startedAt,
    duration_ms: Math.max(0, Math.round(e.durationMs)),
  };
  return row;
}

export async function logExchange(db: Db, e: Exchange): Promise<void> {
  await repo.insertExchanges(db, [exchangeRow(e)]);
}

/** The dispatcher's onSettle: a batch's exchanges in one INSERT, in the settling transaction. */
export async function logSettled(trx: Db, done: [unknown, { exchange?: unknown }][]) {
  const rows = done
    .map(([, r]) => r.exchange as Exchange | undefined)
    .filter((e): e is Exchange => e !== undefined)
    .map(exchangeRow);
  await repo.insertExchanges(trx, rows);
}

/** The exchanges of one case, newest first, for an administrator whose region holds it. */
export async function searchMessages(
  ctx: AppContext,
  actor: Actor,
  q: { applicationNo: string; limit: number },
) {
  requireIntegrationAdmin(actor);
  const db = ctx.database.db;
  const app = await repo.caseRegions(db, q.applicationNo);
  if (
    app &&
    !inJurisdiction(actor, app.received_region) &&
    !inJurisdiction(actor, app.deciding_region)
  )
    throw new AppError('APPLICATION_NOT_FOUND');
  const rows = await repo.exchangesOf(db, q.applicationNo, q.limit);
  return {
    items: rows.map((r) => ({
      id: Number(r.id),
      direction: r.direction,
      channel: r.channel,
      system: r.system_code,
      messageId: r.message_id,
      requestId: r.request_id,
      applicationNo: r.application_no,
      method: r.method,
      url: r.url,
      requestHeaders: r.request_headers,
      requestBody: r.request_body,
      requestSha256: r.request_sha256,
      statusCode: r.status_code,
      responseHeaders: r.response_headers,
      responseBody: r.response_body,
      responseSha256: r.response_sha256,
      outcome: r.outcome,
      error: r.error,
      startedAt: r.started_at.toISOString(),
      durationMs: r.duration_ms,
    })),
  };
}

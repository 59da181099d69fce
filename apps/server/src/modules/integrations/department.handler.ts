import { type DepartmentAnswer, departmentAnswerBody } from '@yimen/core';
import type { AppContext } from '../../app-context.ts';
import { inTransaction } from '../../db/unit-of-work.ts';
import { AppError } from '../../errors.ts';
import type { SendResult, TopicHandler } from '../outbox/dispatcher.ts';
import type { OutboxRow } from '../outbox/outbox.repo.ts';
import { caseMessage } from './department-message.ts';
import { type HttpExchange, parseJson, postSigned } from './http-client.ts';
import { type Exchange, logExchange, outboundExchange } from './message-log.ts';
import { connectorCache } from './systems.repo.ts';

/**
 * Interprets a department's answer to our call, OpenCRVS style: 200 accepted, 400 rejected
 * (with reasons), 202 later. Anything else is a failed delivery: 5xx, timeouts and refused
 * connections are retried; other 4xx are our fault or the connector's and go to the dead
 * letters for a person to look at.
 */
export function readAnswer(
  x: HttpExchange,
): { answer: DepartmentAnswer } | { error: string; retryable: boolean } {
  if (x.statusCode === null) return { error: x.error ?? 'no answer', retryable: true };
  const parsed = departmentAnswerBody.safeParse(parseJson(x.responseBody));
  const body = parsed.success ? parsed.data : undefined;
  switch (x.statusCode) {
    case 200:
    case 201:
      return { answer: body ?? { result: 'accepted' } };
    case 202:
      return { answer: body ?? { result: 'later' } };
    case 400:
      if (body?.result === 'rejected' && (body.reasons || body.missing)) return { answer: body };
      return {
        error: `400 without a rejection: ${x.responseBody.slice(0, 300)}`,
        retryable: false,
      };
  }
  const retryable = x.statusCode >= 500 || x.statusCode === 408 || x.statusCode === 429;
  return { error: `HTTP ${x.statusCode}: ${x.responseBody.slice(0, 300)}`, retryable };
}

function logEntry(
  m: OutboxRow,
  x: HttpExchange,
  systemId: string,
  applicationNo: string,
  outcome: string,
  error: string | null,
): Exchange {
  return {
    ...outboundExchange(m, x),
    channel: 'department',
    systemId,
    requestId: x.requestHeaders['x-request-id'] ?? null,
    applicationNo,
    outcome,
    error,
  };
}

/**
 * Sends a case to its department system and applies the synchronous answer as the
 * department's action, in one transaction with the log of the exchange. A case that has
 * moved on meanwhile (a callback got there first) is not sent again.
 */
export function departmentHandler(ctx: AppContext): TopicHandler {
  const { db } = ctx.database;
  const connectorOf = connectorCache(db, ctx.keys);
  return async (m): Promise<SendResult> => {
    const connector = m.targetId ? await connectorOf(m.targetId) : undefined;
    if (!connector) return { ok: false, error: 'no such department system', retryable: false };
    if (!connector.active) return { ok: false, error: `connector ${connector.code} is disabled` };
    // Nothing to send once the case has moved on (a callback got there first).
    const held = m.applicationId
      ? await ctx.cases.forDepartment(db, connector.id, m.applicationId)
      : undefined;
    if (held?.status !== 'with_department') return { ok: true };
    const app = held.application;
    const body = JSON.stringify(
      caseMessage(ctx.config.integrations.publicUrl, held, {
        messageId: m.messageId,
        sentAt: new Date(),
      }),
    );
    const x = await postSigned({
      url: `${connector.baseUrl}/cases`,
      body,
      key: connector.signing,
      messageId: m.messageId,
      requestId: `${m.messageId}.${m.attempts}`,
      applicationNo: app.applicationNo,
      timeoutMs: connector.timeoutMs,
    });
    const read = readAnswer(x);
    if ('error' in read) {
      const entry = logEntry(m, x, connector.id, app.applicationNo, 'failed', read.error);
      return {
        ok: false,
        error: read.error,
        retryable: read.retryable,
        exchange: entry,
      };
    }
    try {
      await inTransaction(db, async (trx) => {
        await ctx.cases.applyDepartmentAnswer(trx, connector, { id: app.id }, read.answer, {
          requestId: `${m.messageId}.${m.attempts}`,
          ip: null,
          messageId: m.messageId,
          via: 'response',
          lenient: true,
        });
        await logExchange(
          trx,
          logEntry(m, x, connector.id, app.applicationNo, read.answer.result, null),
        );
      });
    } catch (err) {
      // An answer the workflow cannot take (a correction that lists nothing…) will not get
      // better by asking again: it goes to the dead letters with the reason.
      if (!(err instanceof AppError)) throw err;
      const error = `answer not applicable: ${err.message}`;
      const entry = logEntry(m, x, connector.id, app.applicationNo, 'failed', error);
      return { ok: false, error, retryable: false, exchange: entry };
    }
    return { ok: true };
  };
}

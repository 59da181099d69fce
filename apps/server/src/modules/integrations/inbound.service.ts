import type { DepartmentAnswer, DepartmentResult } from '@yimen/core';
import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../../app-context.ts';
import type { Db } from '../../db/connection.ts';
import { AppError } from '../../errors.ts';
import { findApplication } from '../applications/applications.repo.ts';
import { applyDepartmentAnswer, applyDepartmentResult } from './department-actions.ts';
import { caseMessage } from './department-step.ts';
import { H, sha256Hex } from './signing.ts';
import type { Connector } from './systems.repo.ts';

const MESSAGE_ID = /^[A-Za-z0-9._:-]{8,100}$/;

export function messageIdOf(req: FastifyRequest): string {
  const id = req.headers[H.messageId];
  if (typeof id !== 'string' || !MESSAGE_ID.test(id)) {
    throw new AppError('VALIDATION_FAILED', {}, [
      {
        field: `headers.${H.messageId}`,
        message: {
          zh: '缺少或格式错误的消息编号（8–100 位字母数字）',
          en: 'missing or malformed message id (8–100 letters and digits)',
        },
      },
    ]);
  }
  return id;
}

/**
 * Runs a department's call once per (system, message id): the answer is stored in the same
 * transaction as the work, so a repeat — the department retrying after a lost answer — gets
 * the first answer and moves nothing. The same id with another body is an error.
 */
export async function oncePerMessage<T>(
  ctx: AppContext,
  system: Connector,
  messageId: string,
  raw: Buffer | undefined,
  work: (trx: Db) => Promise<T>,
): Promise<{ body: T; replayed: boolean }> {
  const requestHash = sha256Hex(raw ?? '');
  return ctx.database.db.transaction().execute(async (trx) => {
    const prior = await trx
      .selectFrom('inbound_message')
      .select(['request_hash', 'response'])
      .where('system_id', '=', system.id)
      .where('message_id', '=', messageId)
      .executeTakeFirst();
    if (prior) {
      if (prior.request_hash !== requestHash)
        throw new AppError('MESSAGE_ID_REUSED', { messageId });
      return { body: prior.response as T, replayed: true };
    }
    const body = await work(trx);
    await trx
      .insertInto('inbound_message')
      .values({
        system_id: system.id,
        message_id: messageId,
        request_hash: requestHash,
        status_code: 200,
        response: JSON.stringify(body),
      })
      .onConflict((oc) => oc.columns(['system_id', 'message_id']).doNothing())
      .execute();
    return { body, replayed: false };
  });
}

export function receiveStatus(
  ctx: AppContext,
  req: FastifyRequest,
  applicationNo: string,
  answer: DepartmentAnswer,
) {
  const system = req.department!;
  const messageId = messageIdOf(req);
  return oncePerMessage(ctx, system, messageId, req.rawBody, (trx) =>
    applyDepartmentAnswer(ctx, trx, system, { no: applicationNo }, answer, {
      ...req.meta,
      messageId,
      via: 'callback',
    }),
  );
}

export function receiveResult(
  ctx: AppContext,
  req: FastifyRequest,
  applicationNo: string,
  result: DepartmentResult,
) {
  const system = req.department!;
  const messageId = messageIdOf(req);
  return oncePerMessage(ctx, system, messageId, req.rawBody, (trx) =>
    applyDepartmentResult(ctx, trx, system, applicationNo, result, { ...req.meta, messageId }),
  );
}

/** Pulls: the cases assigned to the calling system, oldest first, as it would be sent them. */
export async function listAssigned(
  ctx: AppContext,
  system: Connector,
  q: { status: 'with_department' | 'all'; limit: number },
) {
  const { db } = ctx.database;
  const rows = await db
    .selectFrom('application')
    .select('id')
    .where('department_system_id', '=', system.id)
    .$if(q.status === 'with_department', (b) => b.where('status', '=', 'with_department'))
    .orderBy('submitted_at')
    .orderBy('id')
    .limit(q.limit)
    .execute();
  const items = [];
  for (const r of rows) items.push(await assignedCase(ctx, db, system, r.id));
  return { items };
}

export async function assignedCase(ctx: AppContext, db: Db, system: Connector, id: string) {
  const app = await findApplication(db, id);
  if (!app || app.department_system_id !== system.id) throw new AppError('APPLICATION_NOT_FOUND');
  const m = await caseMessage(ctx, db, app, { messageId: '', createdAt: new Date() });
  return { ...m.application, status: app.status, callback: m.callback };
}

export async function assignedCaseByNo(ctx: AppContext, system: Connector, applicationNo: string) {
  const { db } = ctx.database;
  const row = await db
    .selectFrom('application')
    .select('id')
    .where('application_no', '=', applicationNo)
    .executeTakeFirst();
  if (!row) throw new AppError('APPLICATION_NOT_FOUND');
  return assignedCase(ctx, db, system, row.id);
}

import type { DepartmentAnswer, DepartmentResult } from '@yimen/core';
import type { AppContext } from '../../app-context.ts';
import type { RequestMeta } from '../../auth/actor.ts';
import type { Db } from '../../db/connection.ts';
import { AppError } from '../../errors.ts';
import { caseMessage } from './department-message.ts';
import type { Connector } from './systems.repo.ts';

/**
 * What department systems do through the inbound API. The calls that move a case run once per
 * (system, message id) — the route's unit of work keeps the answer (http/write.ts
 * `systemMessage`) — and move the case as the system, through the case port.
 */
export function receiveStatus(
  ctx: AppContext,
  trx: Db,
  system: Connector,
  meta: RequestMeta & { messageId: string },
  applicationNo: string,
  answer: DepartmentAnswer,
) {
  return ctx.cases.applyDepartmentAnswer(trx, system, { no: applicationNo }, answer, {
    ...meta,
    via: 'callback',
  });
}

export function receiveResult(
  ctx: AppContext,
  trx: Db,
  system: Connector,
  meta: RequestMeta & { messageId: string },
  applicationNo: string,
  result: DepartmentResult,
) {
  return ctx.cases.applyDepartmentResult(trx, system, applicationNo, result, meta);
}

/** Pulls: the cases assigned to the calling system, oldest first, as it would be sent them. */
export async function listAssigned(
  ctx: AppContext,
  system: Connector,
  q: { status: 'with_department' | 'all'; limit: number },
) {
  const { db } = ctx.database;
  const items = [];
  for (const id of await ctx.cases.assignedTo(db, system.id, q))
    items.push(await assignedCase(ctx, db, system, id));
  return { items };
}

async function assignedCase(ctx: AppContext, db: Db, system: Connector, id: string) {
  const held = await ctx.cases.forDepartment(db, system.id, id);
  if (!held) throw new AppError('APPLICATION_NOT_FOUND');
  const m = caseMessage(ctx.config.integrations.publicUrl, held, {
    messageId: '',
    sentAt: new Date(),
  });
  return { ...m.application, status: held.status, callback: m.callback };
}

export async function assignedCaseByNo(ctx: AppContext, system: Connector, applicationNo: string) {
  const { db } = ctx.database;
  const id = await ctx.cases.idByNo(db, applicationNo);
  if (!id) throw new AppError('APPLICATION_NOT_FOUND');
  return assignedCase(ctx, db, system, id);
}

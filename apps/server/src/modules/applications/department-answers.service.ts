import type { ActionName, DepartmentAnswer, DepartmentResult } from '@yimen/core';
import type { AppContext } from '../../app-context.ts';
import type { RequestMeta } from '../../auth/actor.ts';
import type { Db } from '../../db/connection.ts';
import { AppError } from '../../errors.ts';
import type { DepartmentApplied, DepartmentSystemRef } from '../../ports.ts';
import { type DepartmentActor, loadContent, performAction } from './actions.service.ts';
import * as repo from './applications.repo.ts';
import { issueResult } from './results.ts';

/**
 * A department's answers move the case like any other action, with the department system
 * as the actor, in the caller's transaction. Each answer carries the message id it came
 * with: a second delivery of the same answer finds it in the case's log and does nothing.
 */
export function departmentActor(
  c: Pick<DepartmentSystemRef, 'id' | 'code' | 'name'>,
): DepartmentActor {
  return { kind: 'department', systemId: c.id, code: c.code, name: c.name };
}

export function actionForAnswer(a: DepartmentAnswer): ActionName {
  if (a.result === 'accepted') return 'departmentAccept';
  if (a.result === 'later') return 'departmentLater';
  return a.verdict === 'correction' ? 'departmentRequestCorrection' : 'departmentReject';
}

/** The case a system owns, locked; "not found" for a case it does not own, as for none. */
async function ownedCase(trx: Db, systemId: string, where: { id?: string; no?: string }) {
  const app = await repo.findForStep(trx, where);
  if (!app || app.department_system_id !== systemId) throw new AppError('APPLICATION_NOT_FOUND');
  return app;
}

/**
 * Applies an answer (accepted / rejected / later). `lenient` is for answers to our own
 * call, which may arrive after a callback already moved the case on: those are recorded in
 * the message log only. A callback that comes too late is refused with 409.
 */
export async function applyDepartmentAnswer(
  ctx: AppContext,
  trx: Db,
  connector: DepartmentSystemRef,
  where: { id?: string; no?: string },
  answer: DepartmentAnswer,
  meta: RequestMeta & { messageId: string; via: 'response' | 'callback'; lenient?: boolean },
): Promise<DepartmentApplied> {
  const app = await ownedCase(trx, connector.id, where);
  const done = { applicationNo: app.application_no, status: app.status, action: null };
  if (await repo.loggedMessage(trx, app.id, meta.messageId)) return done;
  const action = actionForAnswer(answer);
  if (app.status !== 'with_department') {
    if (meta.lenient) return done;
    throw new AppError('ACTION_NOT_ALLOWED', { action, status: app.status, allowed: '—' });
  }
  await performAction(ctx, trx, {
    actor: departmentActor(connector),
    meta,
    id: app.id,
    action,
    body: {
      version: app.version,
      reasons: answer.reasons,
      legalBasis: answer.legalBasis,
      missing: answer.missing,
      comment: answer.comment,
    },
    canSee: () => true,
    extra: {
      messageId: meta.messageId,
      via: meta.via,
      ...(answer.reference ? { reference: answer.reference } : {}),
    },
  });
  return { applicationNo: app.application_no, status: await repo.statusOf(trx, app.id), action };
}

/**
 * The department decided and produced the result: for a certificate or licence, the hub
 * issues the e-certificate under the seal of the department's office (or of the deciding
 * unit when the connector names no office), carrying the department's own number.
 */
export async function applyDepartmentResult(
  ctx: AppContext,
  trx: Db,
  connector: DepartmentSystemRef,
  applicationNo: string,
  result: DepartmentResult,
  meta: RequestMeta & { messageId: string },
): Promise<DepartmentApplied> {
  const app = await ownedCase(trx, connector.id, { no: applicationNo });
  if (await repo.loggedMessage(trx, app.id, meta.messageId))
    return { applicationNo, status: app.status, action: null };
  if (app.status !== 'with_department')
    throw new AppError('ACTION_NOT_ALLOWED', {
      action: 'departmentResult',
      status: app.status,
      allowed: '—',
    });
  const content = await loadContent(trx, app);
  const issued = await issueResult(ctx, trx, app, content, {
    issuingUnitId: connector.servicePointId ?? app.deciding_sp_id,
    formData: result.certificate ? { departmentCertificateNo: result.certificate.number } : {},
    decidedAt: new Date(),
  });
  await performAction(ctx, trx, {
    actor: departmentActor(connector),
    meta,
    id: app.id,
    action: 'departmentResult',
    body: { version: app.version, comment: result.comment },
    canSee: () => true,
    extra: {
      messageId: meta.messageId,
      via: 'callback',
      ...(result.reference ? { reference: result.reference } : {}),
      ...(result.certificate ? { departmentCertificate: result.certificate } : {}),
      ...issued,
    },
  });
  return { applicationNo, status: 'issued', action: 'departmentResult' };
}

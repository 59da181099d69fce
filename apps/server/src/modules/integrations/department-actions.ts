import type { ActionName, DepartmentAnswer, DepartmentResult, ItemContent } from '@yimen/core';
import { sql } from 'kysely';
import type { AppContext } from '../../app-context.ts';
import type { RequestMeta } from '../../auth/actor.ts';
import type { Db } from '../../db/connection.ts';
import { AppError } from '../../errors.ts';
import {
  type DepartmentActor,
  loadContent,
  performAction,
} from '../applications/actions.service.ts';
import type { ApplicationRow } from '../applications/applications.repo.ts';
import { unitById } from '../applications/routing.ts';
import { issueCertificate } from '../certificates/certificates.issue.ts';
import type { Connector } from './systems.repo.ts';

/**
 * A department's answers move the case like any other action, with the department system
 * as the actor, in the caller's transaction. Each answer carries the message id it came
 * with: a second delivery of the same answer finds it in the case's log and does nothing.
 */
export function departmentActor(c: Pick<Connector, 'id' | 'code' | 'name'>): DepartmentActor {
  return { kind: 'department', systemId: c.id, code: c.code, name: c.name };
}

export function actionForAnswer(a: DepartmentAnswer): ActionName {
  if (a.result === 'accepted') return 'departmentAccept';
  if (a.result === 'later') return 'departmentLater';
  return a.verdict === 'correction' ? 'departmentRequestCorrection' : 'departmentReject';
}

export interface Applied {
  applicationNo: string;
  status: string;
  /** The action taken; null when the answer had already been applied or came too late. */
  action: ActionName | null;
}

/** The case a system owns, locked; "not found" for a case it does not own, as for none. */
async function ownedCase(trx: Db, systemId: string, where: { id?: string; no?: string }) {
  let q = trx.selectFrom('application').selectAll();
  q = where.id ? q.where('id', '=', where.id) : q.where('application_no', '=', where.no!);
  const app = await q.forUpdate().executeTakeFirst();
  if (!app || app.department_system_id !== systemId) throw new AppError('APPLICATION_NOT_FOUND');
  return app;
}

async function alreadyApplied(trx: Db, app: ApplicationRow, messageId: string) {
  const row = await trx
    .selectFrom('application_action')
    .select('seq')
    .where('application_id', '=', app.id)
    .where(sql<boolean>`payload->>'messageId' = ${messageId}`)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Applies an answer (accepted / rejected / later). `lenient` is for answers to our own
 * call, which may arrive after a callback already moved the case on: those are recorded in
 * the message log only. A callback that comes too late is refused with 409.
 */
export async function applyDepartmentAnswer(
  ctx: AppContext,
  trx: Db,
  connector: Pick<Connector, 'id' | 'code' | 'name'>,
  where: { id?: string; no?: string },
  answer: DepartmentAnswer,
  meta: RequestMeta & { messageId: string; via: 'response' | 'callback'; lenient?: boolean },
): Promise<Applied> {
  const app = await ownedCase(trx, connector.id, where);
  const done = { applicationNo: app.application_no, status: app.status, action: null };
  if (await alreadyApplied(trx, app, meta.messageId)) return done;
  const action = actionForAnswer(answer);
  if (app.status !== 'with_department') {
    if (meta.lenient) return done;
    throw new AppError('ACTION_NOT_ALLOWED', { action, status: app.status, allowed: '—' });
  }
  await performAction(
    ctx,
    trx,
    departmentActor(connector),
    meta,
    app.id,
    action,
    {
      version: app.version,
      reasons: answer.reasons,
      legalBasis: answer.legalBasis,
      missing: answer.missing,
      comment: answer.comment,
    },
    async () => true,
    {
      messageId: meta.messageId,
      via: meta.via,
      ...(answer.reference ? { reference: answer.reference } : {}),
    },
  );
  const after = await trx
    .selectFrom('application')
    .select('status')
    .where('id', '=', app.id)
    .executeTakeFirstOrThrow();
  return { applicationNo: app.application_no, status: after.status, action };
}

/**
 * The department decided and produced the result: for a certificate or licence, the hub
 * issues the e-certificate under the seal of the department's office (or of the deciding
 * unit when the connector names no office), carrying the department's own number.
 */
export async function applyDepartmentResult(
  ctx: AppContext,
  trx: Db,
  connector: Pick<Connector, 'id' | 'code' | 'name' | 'servicePointId'>,
  applicationNo: string,
  result: DepartmentResult,
  meta: RequestMeta & { messageId: string },
): Promise<Applied> {
  const app = await ownedCase(trx, connector.id, { no: applicationNo });
  if (await alreadyApplied(trx, app, meta.messageId))
    return { applicationNo, status: app.status, action: null };
  if (app.status !== 'with_department')
    throw new AppError('ACTION_NOT_ALLOWED', {
      action: 'departmentResult',
      status: app.status,
      allowed: '—',
    });
  const content = await loadContent(trx, app);
  const issued = await issueFor(ctx, trx, app, content, connector, result);
  await performAction(
    ctx,
    trx,
    departmentActor(connector),
    meta,
    app.id,
    'departmentResult',
    { version: app.version, comment: result.comment },
    async () => true,
    {
      messageId: meta.messageId,
      via: 'callback',
      ...(result.reference ? { reference: result.reference } : {}),
      ...(result.certificate ? { departmentCertificate: result.certificate } : {}),
      ...issued,
    },
  );
  return { applicationNo, status: 'issued', action: 'departmentResult' };
}

async function issueFor(
  ctx: AppContext,
  trx: Db,
  app: ApplicationRow,
  content: ItemContent,
  connector: { servicePointId: string | null },
  result: DepartmentResult,
) {
  if (content.resultType !== 'certificate' && content.resultType !== 'licence')
    return { resultType: content.resultType };
  const holder = await trx
    .selectFrom('resident')
    .select(['id', 'name', 'id_number_masked', 'id_number_hmac'])
    .where('id', '=', app.applicant_id)
    .executeTakeFirstOrThrow();
  const unit = (await unitById(trx, connector.servicePointId ?? app.deciding_sp_id))!;
  const cert = await issueCertificate(trx, ctx.keys, {
    applicationId: app.id,
    applicationNo: app.application_no,
    itemCode: app.item_code,
    itemName: app.item_name,
    template: content.certificateTemplate,
    formData: {
      ...(app.form_data as Record<string, unknown>),
      ...(result.certificate ? { departmentCertificateNo: result.certificate.number } : {}),
    },
    holder: {
      residentId: holder.id,
      name: holder.name,
      idNumberMasked: holder.id_number_masked,
      idNumberHmac: holder.id_number_hmac,
    },
    decision: 'approved',
    decidedAt: new Date(),
    issuingUnit: { servicePointId: unit.id, code: unit.code, name: unit.name },
  });
  return { resultType: content.resultType, certificateNo: cert.certificateNo, keyId: cert.keyId };
}

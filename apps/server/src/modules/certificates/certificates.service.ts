import type {
  CertificateDetail,
  CertificateSummary,
  CertificateVerification,
  RevokeCertificateInput,
} from '@yimen/core';
import {
  type Actor,
  inJurisdiction,
  type RequestMeta,
  requirePermission,
} from '../../auth/actor.ts';
import type { Db } from '../../db/connection.ts';
import { AppError } from '../../errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { regionNames } from '../regions/regions.repo.ts';
import { chinaDate } from './certificate-payload.ts';
import { renderCertificatePdf } from './certificate-pdf.ts';
import { formFieldsOf } from './certificates.issue.ts';
import {
  presentDetail,
  presentSummary,
  presentVerification,
  readPayload,
  regionCodesIn,
  storedRevokeReason,
} from './certificates.presenter.ts';
import * as repo from './certificates.repo.ts';

const notFound = (certificateNo: string) =>
  new AppError('CERTIFICATE_NOT_FOUND', { certificateNo });

/** Public: is this number a genuine certificate, and is it still in force? */
export async function verifyCertificate(
  db: Db,
  certificateNo: string,
): Promise<CertificateVerification> {
  const row = await repo.findCertificate(db, certificateNo);
  if (!row) throw notFound(certificateNo);
  return presentVerification(row);
}

/**
 * 免提交: the holder's newest certificate of an item that is still in force (not revoked,
 * not expired), for an application that takes it as a material instead of a paper copy.
 */
export async function currentCertificateOf(
  db: Db,
  holderId: string,
  itemCode: string,
): Promise<{ certificateNo: string; issuedAt: Date } | null> {
  const today = chinaDate(new Date());
  for (const row of await repo.listValidCertificatesOf(db, holderId, itemCode)) {
    const validUntil = readPayload(row.payload_canonical)?.validUntil;
    if (!validUntil || validUntil >= today) {
      return { certificateNo: row.certificate_no, issuedAt: row.issued_at };
    }
  }
  return null;
}

/** 我的证照: a citizen's own certificates, newest first. */
export async function listMyCertificates(
  db: Db,
  actor: Actor,
): Promise<{ items: CertificateSummary[] }> {
  if (actor.kind !== 'citizen') throw new AppError('FORBIDDEN', { permission: 'citizen' });
  if (!actor.residentId) return { items: [] };
  const rows = await repo.listHolderCertificates(db, actor.residentId);
  return { items: rows.map(presentSummary) };
}

/**
 * The holder, or staff whose jurisdiction holds the issuing unit or the point that received
 * the application. Anyone else gets the same 404 as for a number that does not exist.
 */
async function findVisible(
  db: Db,
  actor: Actor,
  certificateNo: string,
  opts: { lock?: boolean } = {},
): Promise<repo.CertificateRow> {
  if (actor.kind === 'staff') requirePermission(actor, 'application.view');
  const row = await repo.findCertificate(db, certificateNo, opts);
  const visible =
    row &&
    (actor.kind === 'citizen'
      ? actor.residentId !== null && actor.residentId === row.holder_id
      : inJurisdiction(actor, row.issuer_region) || inJurisdiction(actor, row.received_region));
  if (!visible) throw notFound(certificateNo);
  return row;
}

async function detailOf(db: Db, row: repo.CertificateRow): Promise<CertificateDetail> {
  const form = await formFieldsOf(db, row.application_id);
  const names = await regionNames(db, regionCodesIn(row, form));
  return presentDetail(row, form, names);
}

export async function getCertificate(
  db: Db,
  actor: Actor,
  certificateNo: string,
): Promise<CertificateDetail> {
  return detailOf(db, await findVisible(db, actor, certificateNo));
}

/** The PDF; `origin` (scheme and host the client used) goes into the QR code's URL. */
export async function getCertificatePdf(
  db: Db,
  actor: Actor,
  certificateNo: string,
  origin: string,
): Promise<Buffer> {
  const detail = await getCertificate(db, actor, certificateNo);
  return renderCertificatePdf(detail, { origin });
}

/**
 * 撤销: by the unit that issued it (its staff who may issue), or a system administrator.
 * The certificate stays published, now answering "revoked"; the written reason goes to the
 * audit trail and the holder, the public sees only the category.
 */
export async function revokeCertificate(
  trx: Db,
  actor: Actor,
  meta: RequestMeta,
  certificateNo: string,
  input: RevokeCertificateInput,
): Promise<CertificateDetail> {
  requirePermission(actor, 'application.issue');
  const row = await findVisible(trx, actor, certificateNo, { lock: true });
  const isIssuer = actor.servicePoint?.id === row.issuer_sp_id;
  if (!isIssuer && !actor.roles.includes('system_admin')) {
    throw new AppError('FORBIDDEN', { permission: 'certificate.revoke (issuing unit only)' });
  }
  if (row.status === 'revoked') {
    throw new AppError('CERTIFICATE_ALREADY_REVOKED', {
      certificateNo,
      revokedAt: row.revoked_at?.toISOString() ?? '',
    });
  }
  const at = new Date();
  const stored = storedRevokeReason(input.category, input.reason);
  await repo.markRevoked(trx, row.id, stored, at);
  await recordAudit(trx, {
    actor,
    meta,
    action: 'certificate.revoke',
    targetType: 'certificate',
    targetId: certificateNo,
    regionCode: row.issuer_region,
    before: { status: 'valid' },
    after: {
      status: 'revoked',
      category: input.category,
      reason: input.reason,
      applicationNo: row.application_no,
      keyId: row.key_id,
    },
  });
  return detailOf(trx, { ...row, status: 'revoked', revoked_at: at, revoke_reason: stored });
}

import type { ItemContent } from '@yimen/core';
import type { AppContext } from '../../app-context.ts';
import type { Db } from '../../db/connection.ts';
import { issueCertificate } from '../certificates/certificates.issue.ts';
import { type ApplicationRow, approvedAt, holderOf } from './applications.repo.ts';
import { unitById } from './units.repo.ts';

/**
 * 制证: for a certificate or licence, an e-certificate signed with the issuing unit's one
 * seal — the deciding unit's, or for a department's result the department office's — for
 * other results (an approval letter, a payment) the result is the decision itself, recorded
 * on the case.
 */
export async function issueResult(
  ctx: AppContext,
  trx: Db,
  app: ApplicationRow,
  content: ItemContent,
  by: {
    /** The unit whose seal it carries: the deciding unit's by default. */
    issuingUnitId?: string;
    /** Facts the certificate shows beyond the form (a department's own number). */
    formData?: Record<string, unknown>;
    /** When it was decided: the last approval in the log by default. */
    decidedAt?: Date;
  } = {},
) {
  if (content.resultType !== 'certificate' && content.resultType !== 'licence') {
    return { resultType: content.resultType };
  }
  const holder = await holderOf(trx, app.applicant_id);
  const unit = (await unitById(trx, by.issuingUnitId ?? app.deciding_sp_id))!;
  const cert = await issueCertificate(trx, ctx.keys, {
    applicationId: app.id,
    applicationNo: app.application_no,
    itemCode: app.item_code,
    itemName: app.item_name,
    template: content.certificateTemplate,
    formData: { ...(app.form_data as Record<string, unknown>), ...by.formData },
    holder: {
      residentId: holder.id,
      name: holder.name,
      idNumberMasked: holder.id_number_masked,
      idNumberHmac: holder.id_number_hmac,
    },
    decision: 'approved',
    decidedAt: by.decidedAt ?? (await approvedAt(trx, app.id)) ?? new Date(),
    issuingUnit: { servicePointId: unit.id, code: unit.code, name: unit.name },
  });
  return { resultType: content.resultType, certificateNo: cert.certificateNo, keyId: cert.keyId };
}

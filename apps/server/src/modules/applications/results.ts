import type { ItemContent } from '@yimen/core';
import type { AppContext } from '../../app-context.ts';
import type { Db } from '../../db/connection.ts';
import { issueCertificate } from '../certificates/certificates.issue.ts';
import type { ApplicationRow } from './applications.repo.ts';
import { unitById } from './routing.ts';

/**
 * 制证: for a certificate or licence, an e-certificate signed with the deciding unit's one
 * seal; for other results (an approval letter, a payment) the result is the decision itself,
 * recorded on the case.
 */
export async function issueResult(
  ctx: AppContext,
  trx: Db,
  app: ApplicationRow,
  content: ItemContent,
) {
  if (content.resultType !== 'certificate' && content.resultType !== 'licence') {
    return { resultType: content.resultType };
  }
  const holder = await trx
    .selectFrom('resident')
    .select(['id', 'name', 'id_number_masked', 'id_number_hmac'])
    .where('id', '=', app.applicant_id)
    .executeTakeFirstOrThrow();
  const unit = (await unitById(trx, app.deciding_sp_id))!;
  const decided = await trx
    .selectFrom('application_action')
    .select('occurred_at')
    .where('application_id', '=', app.id)
    .where('action', '=', 'approve')
    .orderBy('seq', 'desc')
    .executeTakeFirst();
  const cert = await issueCertificate(trx, ctx.keys, {
    applicationId: app.id,
    applicationNo: app.application_no,
    itemCode: app.item_code,
    itemName: app.item_name,
    template: content.certificateTemplate,
    formData: app.form_data as Record<string, unknown>,
    holder: {
      residentId: holder.id,
      name: holder.name,
      idNumberMasked: holder.id_number_masked,
      idNumberHmac: holder.id_number_hmac,
    },
    decision: 'approved',
    decidedAt: decided?.occurred_at ?? new Date(),
    issuingUnit: { servicePointId: unit.id, code: unit.code, name: unit.name },
  });
  return { resultType: content.resultType, certificateNo: cert.certificateNo, keyId: cert.keyId };
}

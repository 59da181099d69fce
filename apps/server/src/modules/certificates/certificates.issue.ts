import { createHmac } from 'node:crypto';
import { type CertificatePayload, type FormField, itemContentSchema } from '@yimen/core';
import { canonicalJson } from '../../canonical-json.ts';
import type { Keys } from '../../crypto/keys.ts';
import type { Db } from '../../db/connection.ts';
import { addYears, certificateFields, chinaDate, maskPersonName } from './certificate-payload.ts';
import * as repo from './certificates.repo.ts';
import { signMessage } from './seal-crypto.ts';
import { getActiveSeal } from './seals.service.ts';

export interface IssueCertificateInput {
  applicationId: string;
  applicationNo: string;
  itemCode: string;
  itemName: string;
  /** The item version's certificateTemplate; without one the item's name is the title. */
  template:
    | { title: { zh: string; en: string }; fields: string[]; validYears?: number }
    | undefined;
  /** The application's form data, ID numbers already masked. */
  formData: Record<string, unknown>;
  holder: { residentId: string; name: string; idNumberMasked: string; idNumberHmac: string };
  decision: 'approved';
  decidedAt: Date;
  issuingUnit: { servicePointId: string; code: string; name: string };
}

export interface IssuedCertificate {
  certificateNo: string;
  payload: CertificatePayload;
  signature: string;
  keyId: string;
}

/**
 * 制证: signs an approved result with the deciding unit's seal and stores it. Runs in the
 * caller's transaction (the applications service, which writes the case's own history and
 * audit row), so a case is never "issued" without its certificate or the other way round.
 * Issuing again for an application that has a valid certificate answers that one.
 */
export async function issueCertificate(
  trx: Db,
  keys: Keys,
  input: IssueCertificateInput,
): Promise<IssuedCertificate> {
  const existing = await repo.findValidCertificateOfApplication(trx, input.applicationId);
  if (existing) {
    return {
      certificateNo: existing.certificate_no,
      payload: JSON.parse(existing.payload_canonical) as CertificatePayload,
      signature: existing.signature,
      keyId: existing.key_id,
    };
  }
  const seal = await getActiveSeal(trx, keys, input.issuingUnit.servicePointId);
  const issuedAt = new Date();
  const issuedDay = chinaDate(issuedAt);
  const year = Number(issuedDay.slice(0, 4));
  const seq = await repo.nextCertificateSeq(trx, input.issuingUnit.code, year);
  const certificateNo = `${input.issuingUnit.code}-${year}-${String(seq).padStart(6, '0')}`;
  const form = await formFieldsOf(trx, input.applicationId);
  const validYears = input.template?.validYears;

  const payload: CertificatePayload = {
    v: 1,
    certificateNo,
    title: input.template?.title ?? {
      zh: `${input.itemName}办理结果`,
      en: `Result of ${input.itemCode}`,
    },
    item: { code: input.itemCode, name: input.itemName },
    holder: {
      name: maskPersonName(input.holder.name),
      idNumberMasked: input.holder.idNumberMasked,
      idHash: holderIdHash(input.holder.idNumberHmac, certificateNo),
    },
    fields: certificateFields(input.template?.fields ?? [], input.formData, form),
    decision: input.decision,
    decidedAt: input.decidedAt.toISOString(),
    issuedAt: issuedAt.toISOString(),
    // validYears 0 (or none) means no end date.
    ...(validYears ? { validUntil: addYears(issuedDay, validYears) } : {}),
    issuer: { code: input.issuingUnit.code, name: input.issuingUnit.name },
    keyId: seal.keyId,
  };
  const canonical = canonicalJson(payload);
  const signature = signMessage(seal.privateKey, canonical);
  await repo.insertCertificate(trx, {
    certificate_no: certificateNo,
    application_id: input.applicationId,
    item_code: input.itemCode,
    holder_id: input.holder.residentId,
    payload: canonical,
    payload_canonical: canonical,
    signature,
    key_id: seal.keyId,
    issued_at: issuedAt,
  });
  return { certificateNo, payload, signature, keyId: seal.keyId };
}

/**
 * The holder's keyed hash, per certificate: HMAC(key = the ID number's lookup HMAC, the
 * certificate number). The platform, which knows a resident's lookup HMAC, can check that a
 * certificate is theirs; the public, which can read every payload by number, cannot link
 * one person's certificates to each other, as one stable hash would let it.
 */
export function holderIdHash(idNumberHmac: string, certificateNo: string): string {
  return createHmac('sha256', Buffer.from(idNumberHmac, 'hex'))
    .update(certificateNo)
    .digest('base64url');
}

/** The form's fields by key, from the item version the application was filed under. */
export async function formFieldsOf(db: Db, applicationId: string): Promise<Map<string, FormField>> {
  const content = await repo.findApplicationForm(db, applicationId);
  const parsed = itemContentSchema.shape.form.safeParse(
    (content as { form?: unknown } | undefined)?.form,
  );
  return new Map(parsed.success ? parsed.data.fields.map((f) => [f.key, f]) : []);
}

import {
  type CertificateDetail,
  type CertificatePayload,
  type CertificateSummary,
  type CertificateVerification,
  certificatePayloadSchema,
  type FormField,
  REVOKE_CATEGORIES,
  type RevokeCategory,
  type SealJwk,
} from '@yimen/core';
import { chinaDate, displayValue } from './certificate-payload.ts';
import type { CertificateRow, SealListRow } from './certificates.repo.ts';
import { verifyMessage } from './seal-crypto.ts';

/**
 * What is shown comes from the signed bytes, not from the jsonb copy beside them: a page
 * that says "genuine" shows exactly what was signed.
 */
export function readPayload(canonical: string): CertificatePayload | null {
  try {
    const parsed = certificatePayloadSchema.safeParse(JSON.parse(canonical));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** The signature holds under the published key, and the signed text names this number and key. */
function isGenuine(
  row: Pick<
    CertificateRow,
    'certificate_no' | 'key_id' | 'public_key' | 'payload_canonical' | 'signature'
  >,
  payload: CertificatePayload | null,
): boolean {
  return (
    payload !== null &&
    payload.certificateNo === row.certificate_no &&
    payload.keyId === row.key_id &&
    verifyMessage(row.public_key, row.payload_canonical, row.signature)
  );
}

/**
 * revoke_reason keeps `<category>: <written reason>`. The category goes public; the
 * written reason is for the holder, the staff and the audit trail.
 */
export function storedRevokeReason(category: RevokeCategory, reason: string): string {
  return `${category}: ${reason}`;
}

function parseRevokeReason(
  stored: string | null,
): { category: RevokeCategory; reason: string } | null {
  if (stored === null) return null;
  const m = /^([a-z_]+): ([\s\S]*)$/.exec(stored);
  if (m && m[1]! in REVOKE_CATEGORIES) return { category: m[1] as RevokeCategory, reason: m[2]! };
  return { category: 'other', reason: stored };
}

type Row = Pick<
  CertificateRow,
  'certificate_no' | 'item_code' | 'status' | 'issued_at' | 'revoked_at'
> & { issuer_code?: string; issuer_name?: string };

/** Fallbacks for a payload that no longer parses (it was tampered with). */
function basics(row: Row, p: CertificatePayload | null) {
  const validUntil = p?.validUntil ?? null;
  return {
    certificateNo: row.certificate_no,
    title: p?.title ?? { zh: '—', en: '—' },
    itemCode: p?.item.code ?? row.item_code,
    itemName: p?.item.name ?? row.item_code,
    status: row.status,
    revokedAt: row.revoked_at?.toISOString() ?? null,
    issuedAt: p?.issuedAt ?? row.issued_at.toISOString(),
    validUntil,
    expired: validUntil !== null && validUntil < chinaDate(new Date()),
    issuer: p?.issuer ?? { code: row.issuer_code ?? '', name: row.issuer_name ?? '' },
  };
}

export function presentSummary(row: Row & { payload_canonical: string }): CertificateSummary {
  const { expired: _expired, ...rest } = basics(row, readPayload(row.payload_canonical));
  return rest;
}

export function presentVerification(row: CertificateRow): CertificateVerification {
  const payload = readPayload(row.payload_canonical);
  const genuine = isGenuine(row, payload);
  const b = basics(row, payload);
  const revoked = parseRevokeReason(row.revoke_reason);
  return {
    certificateNo: b.certificateNo,
    genuine,
    status: b.status,
    revokedAt: b.revokedAt,
    revokeReason:
      row.status === 'revoked'
        ? {
            category: revoked?.category ?? 'other',
            ...REVOKE_CATEGORIES[revoked?.category ?? 'other'],
          }
        : null,
    expired: b.expired,
    current: genuine && b.status === 'valid' && !b.expired,
    title: b.title,
    itemName: b.itemName,
    holderName: payload?.holder.name ?? '—',
    idNumberMasked: payload?.holder.idNumberMasked ?? '—',
    issuedAt: b.issuedAt,
    validUntil: b.validUntil,
    issuer: b.issuer,
    keyId: row.key_id,
    payload: row.payload_canonical,
    signature: row.signature,
  };
}

/** Field keys whose values are region codes, to look their names up. */
export function regionCodesIn(row: CertificateRow, form: ReadonlyMap<string, FormField>): string[] {
  const fields = readPayload(row.payload_canonical)?.fields ?? {};
  return Object.entries(fields)
    .filter(([k, v]) => form.get(k)?.type === 'region' && typeof v === 'string')
    .map(([, v]) => v as string);
}

export function presentDetail(
  row: CertificateRow,
  form: ReadonlyMap<string, FormField>,
  regionNames: ReadonlyMap<string, string>,
): CertificateDetail {
  const payload = readPayload(row.payload_canonical);
  const { expired: _expired, ...b } = basics(row, payload);
  const values = payload?.fields ?? {};
  // In the form's order, then anything the form no longer has.
  const keys = [
    ...[...form.keys()].filter((k) => k in values),
    ...Object.keys(values).filter((k) => !form.has(k)),
  ];
  const revoked = parseRevokeReason(row.revoke_reason);
  return {
    ...b,
    applicationNo: row.application_no,
    holderName: payload?.holder.name ?? '—',
    idNumberMasked: payload?.holder.idNumberMasked ?? '—',
    fields: keys.map((key) => {
      const field = form.get(key);
      return {
        key,
        label: field?.label ?? { zh: key, en: key },
        value: displayValue(values[key]!, field, regionNames),
      };
    }),
    revokeCategory: revoked?.category ?? null,
    revokeReason: revoked?.reason ?? null,
    genuine: isGenuine(row, payload),
    keyId: row.key_id,
    payload: row.payload_canonical,
    signature: row.signature,
  };
}

/** A seal's public half as a JWK, with the unit it belongs to. */
export function presentSeal(
  row: Pick<SealListRow, 'key_id' | 'public_key' | 'status' | 'created_at' | 'retired_at'>,
  servicePoint: { code: string; name: string },
): SealJwk {
  return {
    kty: 'OKP',
    crv: 'Ed25519',
    x: row.public_key,
    kid: row.key_id,
    use: 'sig',
    alg: 'EdDSA',
    status: row.status,
    servicePoint,
    createdAt: row.created_at.toISOString(),
    retiredAt: row.retired_at?.toISOString() ?? null,
  };
}

import { z } from 'zod';
import { bi } from '../bilingual.ts';

/**
 * 电子证照: an approved result signed with the deciding unit's seal (Ed25519). The signed
 * payload is public — anyone holding the number can fetch and check it — so it carries
 * personal data only masked; the full data stays with the application.
 */

/** `<service point code>-<year>-<6-digit sequence>`: 430903105-2026-000123. */
export const CERTIFICATE_NO = /^[A-Za-z0-9][A-Za-z0-9-]{0,62}-\d{4}-\d{6,9}$/;

export const certificateNoSchema = z
  .string()
  .max(80)
  .regex(
    CERTIFICATE_NO,
    bi(
      '证照编号格式应为 网点代码-年份-6位序号',
      'a certificate number reads <service point>-<year>-<6-digit sequence>',
    ),
  )
  .describe('证照编号 / Certificate number, e.g. 430903105-2026-000123');

export const certificateNoParams = z.strictObject({ certificateNo: certificateNoSchema });

const bilingualText = z.object({ zh: z.string(), en: z.string() });
const issuerSchema = z.object({ code: z.string(), name: z.string() });

/** What the seal signs, as canonical JSON (keys sorted, no whitespace), version 1. */
export const certificatePayloadSchema = z.object({
  v: z.literal(1),
  certificateNo: z.string(),
  title: bilingualText,
  item: z.object({ code: z.string(), name: z.string() }),
  holder: z.object({
    name: z.string().describe('Masked: 王*国'),
    idNumberMasked: z.string(),
    idHash: z
      .string()
      .describe(
        'HMAC keyed by the ID number’s lookup hash over the certificate number: the platform can match it to a resident, the public cannot link certificates',
      ),
  }),
  fields: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.array(z.string())])),
  decision: z.literal('approved'),
  decidedAt: z.string(),
  issuedAt: z.string(),
  validUntil: z.string().optional().describe('YYYY-MM-DD, China time, last day of validity'),
  issuer: issuerSchema,
  keyId: z.string(),
});
export type CertificatePayload = z.infer<typeof certificatePayloadSchema>;

/** Why a certificate was revoked, as the public sees it; the free text stays internal. */
export const REVOKE_CATEGORIES = {
  issued_in_error: { zh: '证照信息有误', en: 'Issued with wrong details' },
  superseded: { zh: '已换发新证', en: 'Superseded by a new certificate' },
  decision_withdrawn: { zh: '审批决定已撤销', en: 'The decision was withdrawn' },
  holder_request: { zh: '持证人申请注销', en: 'Cancelled at the holder’s request' },
  other: { zh: '其他原因', en: 'Other reasons' },
} as const;
export type RevokeCategory = keyof typeof REVOKE_CATEGORIES;
export const revokeCategorySchema = z.enum(
  Object.keys(REVOKE_CATEGORIES) as [RevokeCategory, ...RevokeCategory[]],
);

export const revokeCertificateBody = z.strictObject({
  reason: z
    .string()
    .trim()
    .min(1)
    .max(500)
    .describe('Why, in full: kept in the audit trail, shown to the holder and staff'),
  category: revokeCategorySchema
    .default('other')
    .describe('The generic reason the public verification page shows'),
});
export type RevokeCertificateInput = z.infer<typeof revokeCertificateBody>;

export const sealJwkSchema = z
  .object({
    kty: z.literal('OKP'),
    crv: z.literal('Ed25519'),
    x: z.string().describe('The raw 32-byte public key, base64url'),
    kid: z.string(),
    use: z.literal('sig'),
    alg: z.literal('EdDSA'),
    status: z.enum(['active', 'retired']),
    servicePoint: issuerSchema,
    createdAt: z.string(),
    retiredAt: z.string().nullable(),
  })
  .describe('A seal public key as JWK (RFC 8037), with its unit and lifetime');
export type SealJwk = z.infer<typeof sealJwkSchema>;

export const sealListSchema = z.object({ keys: z.array(sealJwkSchema) });

export const sealRotateParams = z.strictObject({
  servicePointCode: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9-]+$/)
    .describe('The deciding unit (service point) whose seal gets a new key'),
});

export const sealRotationSchema = z.object({
  retiredKeyId: z.string().nullable(),
  key: sealJwkSchema,
});

const revocationFields = {
  status: z.enum(['valid', 'revoked']),
  revokedAt: z.string().nullable(),
};

/** The public answer: only what the holder would show — masked name and ID number. */
export const certificateVerificationSchema = z.object({
  certificateNo: z.string(),
  genuine: z.boolean().describe('The signature verifies against the published seal key'),
  ...revocationFields,
  revokeReason: z
    .object({ category: revokeCategorySchema, zh: z.string(), en: z.string() })
    .nullable()
    .describe('The generic category only; the written reason is not public'),
  expired: z.boolean(),
  current: z.boolean().describe('genuine, not revoked and not expired'),
  title: bilingualText,
  itemName: z.string(),
  holderName: z.string(),
  idNumberMasked: z.string(),
  issuedAt: z.string(),
  validUntil: z.string().nullable(),
  issuer: issuerSchema,
  keyId: z.string(),
  payload: z.string().describe('The signed bytes (UTF-8 canonical JSON)'),
  signature: z.string().describe('Ed25519 signature, base64url'),
});
export type CertificateVerification = z.infer<typeof certificateVerificationSchema>;

export const certificateSummarySchema = z.object({
  certificateNo: z.string(),
  title: bilingualText,
  itemCode: z.string(),
  itemName: z.string(),
  ...revocationFields,
  issuedAt: z.string(),
  validUntil: z.string().nullable(),
  issuer: issuerSchema,
});
export type CertificateSummary = z.infer<typeof certificateSummarySchema>;

export const certificateListSchema = z.object({ items: z.array(certificateSummarySchema) });
export type CertificateList = z.infer<typeof certificateListSchema>;

export const certificateDetailSchema = certificateSummarySchema.extend({
  applicationNo: z.string(),
  holderName: z.string(),
  idNumberMasked: z.string(),
  fields: z.array(z.object({ key: z.string(), label: bilingualText, value: z.string() })),
  revokeCategory: revokeCategorySchema.nullable(),
  revokeReason: z.string().nullable(),
  genuine: z.boolean(),
  keyId: z.string(),
  payload: z.string(),
  signature: z.string(),
});
export type CertificateDetail = z.infer<typeof certificateDetailSchema>;

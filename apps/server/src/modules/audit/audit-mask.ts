import { maskIdNumber, maskMobile } from '@yimen/core';

const ID_NUMBER = /^\d{17}[\dX]$/;
// One-time codes by their explicit names only: a bare `code` is far more often a region,
// service point or error code, which the trail must keep readable.
const SECRET_KEY = /password|token|secret|cipher|hmac|hash|otp|^(sms_?|verification_?)code$/i;
const ID_KEY = /id_?number/i;
const MOBILE_KEY = /mobile|phone/i;

/**
 * What goes into the audit trail and logs never carries personal data in clear: ID
 * numbers and mobiles are masked wherever they appear, secrets are dropped.
 */
export function maskPersonalData(value: unknown, key = ''): unknown {
  if (value === null || value === undefined) return value ?? null;
  if (typeof value === 'string') {
    if (SECRET_KEY.test(key) && !/masked/i.test(key)) return '[redacted]';
    if (ID_KEY.test(key) && !/masked/i.test(key)) return maskIdNumber(value);
    if (MOBILE_KEY.test(key)) return maskMobile(value);
    if (ID_NUMBER.test(value)) return maskIdNumber(value);
    return value;
  }
  if (Array.isArray(value)) return value.map((v) => maskPersonalData(v, key));
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, maskPersonalData(v, k)]),
    );
  }
  return value;
}

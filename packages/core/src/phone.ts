import { z } from 'zod';
import { bi } from './bilingual.ts';

/** Mainland China mobile numbers (手机号码): 11 digits, 1 then 3-9, then 9 digits. */

export type MobileProblem = 'empty' | 'not_mobile';

export type MobileResult =
  | { ok: true /** 11 digits, no prefix or separators */; value: string }
  | { ok: false; reason: MobileProblem; message: { zh: string; en: string } };

const MESSAGES: Record<MobileProblem, { zh: string; en: string }> = {
  empty: { zh: '请填写手机号码', en: 'the mobile number is missing' },
  not_mobile: {
    zh: '手机号码应为 11 位数字，以 13–19 开头',
    en: 'a mobile number has 11 digits and starts with 13–19',
  },
};

const MOBILE = /^(?:\+?86)?(1[3-9]\d{9})$/;

/** Strips spaces and dashes and an optional +86 / 86 prefix, then checks the number. */
export function validateMobile(input: string): MobileResult {
  const compact = input.replace(/[\s-]/g, '');
  if (compact === '') return { ok: false, reason: 'empty', message: MESSAGES.empty };
  const match = MOBILE.exec(compact);
  if (!match) return { ok: false, reason: 'not_mobile', message: MESSAGES.not_mobile };
  return { ok: true, value: match[1]! };
}

/**
 * For display and logs: "138****0001". Input that is not a mobile number keeps only its
 * first 3 and last 2 characters (5 or fewer are masked entirely).
 */
export function maskMobile(mobile: string): string {
  const result = validateMobile(mobile);
  if (result.ok) return `${result.value.slice(0, 3)}****${result.value.slice(7)}`;
  const s = mobile.trim();
  if (s.length <= 5) return '*'.repeat(s.length);
  return `${s.slice(0, 3)}${'*'.repeat(s.length - 5)}${s.slice(-2)}`;
}

/** Validates and answers the bare 11-digit number; the issue message is bilingual. */
export const mobileSchema = z
  .string()
  .transform((input, ctx) => {
    const result = validateMobile(input);
    if (!result.ok) {
      ctx.addIssue({ code: 'custom', message: bi(result.message.zh, result.message.en) });
      return z.NEVER;
    }
    return result.value;
  })
  .describe('Mainland mobile number (手机号码), 11 digits; +86 and separators are stripped');

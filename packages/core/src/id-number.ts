import { z } from 'zod';
import { bi } from './bilingual.ts';

/**
 * Resident identity card numbers (居民身份证号码, GB 11643-1999): 6-digit region code of
 * the place of first registration, 8-digit birth date YYYYMMDD, 3-digit sequence (odd for
 * men, even for women), and an ISO 7064 MOD 11-2 check character (0-9 or X).
 */

export type IdNumberProblem =
  | 'empty'
  | 'legacy_15_digit'
  | 'wrong_length'
  | 'bad_characters'
  | 'bad_region'
  | 'bad_birth_date'
  | 'future_birth_date'
  | 'bad_check_character';

export type IdNumberResult =
  | {
      ok: true;
      /** Normalized: trimmed, trailing check character upper-case. */
      value: string;
      /** First 6 digits: the region of first registration. */
      regionCode: string;
      /** YYYY-MM-DD */
      birthDate: string;
      sex: 'male' | 'female';
    }
  | { ok: false; reason: IdNumberProblem; message: { zh: string; en: string } };

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARS = '10X98765432';

/**
 * Province-level codes (GB/T 2260) that may open an ID number, including 71 台湾, 81 香港,
 * 82 澳门. 83 (used by some 港澳台居民居住证) is not a province and is not accepted.
 */
const PROVINCE_CODES: ReadonlySet<string> = new Set(
  [
    '11 12 13 14 15',
    '21 22 23',
    '31 32 33 34 35 36 37',
    '41 42 43 44 45 46',
    '50 51 52 53 54',
    '61 62 63 64 65',
    '71 81 82',
  ]
    .join(' ')
    .split(' '),
);

const MESSAGES: Record<IdNumberProblem, { zh: string; en: string }> = {
  empty: { zh: '请填写身份证号码', en: 'the ID number is missing' },
  legacy_15_digit: {
    zh: '不再受理 15 位（第一代）身份证号码，请填写 18 位身份证号码',
    en: '15-digit (first-generation) ID numbers are no longer accepted; use the 18-digit number',
  },
  wrong_length: {
    zh: '身份证号码应为 18 位',
    en: 'an ID number has 18 characters',
  },
  bad_characters: {
    zh: '身份证号码应为 17 位数字加 1 位校验位（数字或 X）',
    en: 'an ID number is 17 digits followed by a check character (a digit or X)',
  },
  bad_region: {
    zh: '身份证号码前 6 位的地区码无效',
    en: 'the region code (first 6 digits) of the ID number is not valid',
  },
  bad_birth_date: {
    zh: '身份证号码中的出生日期（第 7–14 位）无效',
    en: 'the birth date (digits 7–14) in the ID number is not a valid date',
  },
  future_birth_date: {
    zh: '身份证号码中的出生日期晚于今天',
    en: 'the birth date in the ID number is in the future',
  },
  bad_check_character: {
    zh: '身份证号码校验位错误，请核对号码',
    en: 'wrong check character in the ID number; please check the number',
  },
};

function fail(reason: IdNumberProblem): IdNumberResult {
  return { ok: false, reason, message: MESSAGES[reason] };
}

/** The MOD 11-2 check character for the first 17 digits. Throws on anything else. */
export function computeCheckCharacter(first17: string): string {
  if (!/^\d{17}$/.test(first17)) {
    throw new RangeError('computeCheckCharacter expects exactly 17 digits');
  }
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!;
  return CHECK_CHARS[sum % 11]!;
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/**
 * Checks an 18-character resident ID number. `today` (default: now, local time) bounds
 * the birth date from above.
 */
export function validateIdNumber(input: string, today: Date = new Date()): IdNumberResult {
  let value = input.trim();
  if (value === '') return fail('empty');
  if (value.endsWith('x')) value = `${value.slice(0, -1)}X`;
  if (/^\d{15}$/.test(value)) return fail('legacy_15_digit');
  if (value.length !== 18) return fail('wrong_length');
  if (!/^\d{17}[\dX]$/.test(value)) return fail('bad_characters');

  const regionCode = value.slice(0, 6);
  if (!PROVINCE_CODES.has(regionCode.slice(0, 2))) return fail('bad_region');

  const year = Number(value.slice(6, 10));
  const month = Number(value.slice(10, 12));
  const day = Number(value.slice(12, 14));
  if (year < 1900 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    return fail('bad_birth_date');
  }
  const birthKey = year * 10_000 + month * 100 + day;
  const todayKey = today.getFullYear() * 10_000 + (today.getMonth() + 1) * 100 + today.getDate();
  if (birthKey > todayKey) return fail('future_birth_date');

  if (computeCheckCharacter(value.slice(0, 17)) !== value[17]) return fail('bad_check_character');

  return {
    ok: true,
    value,
    regionCode,
    birthDate: `${value.slice(6, 10)}-${value.slice(10, 12)}-${value.slice(12, 14)}`,
    sex: Number(value[16]) % 2 === 1 ? 'male' : 'female',
  };
}

/**
 * For display and logs: "430903********1234". Other lengths keep only the first 3 and
 * last 2 characters; 5 characters or fewer are masked entirely.
 */
export function maskIdNumber(id: string): string {
  const s = id.trim();
  if (s.length === 18) return `${s.slice(0, 6)}${'*'.repeat(8)}${s.slice(14)}`;
  if (s.length <= 5) return '*'.repeat(s.length);
  return `${s.slice(0, 3)}${'*'.repeat(s.length - 5)}${s.slice(-2)}`;
}

/**
 * Builds an ID number with the right check character, for seed data and test factories.
 * Only the digit counts are checked, so deliberately bad regions or dates can be built.
 */
export function makeTestIdNumber(
  regionCode6: string,
  birthDate: string,
  sequence3: string,
): string {
  if (!/^\d{6}$/.test(regionCode6)) throw new RangeError('regionCode6 must be 6 digits');
  if (!/^\d{8}$/.test(birthDate)) throw new RangeError('birthDate must be 8 digits (YYYYMMDD)');
  if (!/^\d{3}$/.test(sequence3)) throw new RangeError('sequence3 must be 3 digits');
  const first17 = `${regionCode6}${birthDate}${sequence3}`;
  return `${first17}${computeCheckCharacter(first17)}`;
}

/** Trims, validates and answers the normalized ID number; the issue message is bilingual. */
export const idNumberSchema = z
  .string()
  .trim()
  .transform((input, ctx) => {
    const result = validateIdNumber(input);
    if (!result.ok) {
      ctx.addIssue({ code: 'custom', message: bi(result.message.zh, result.message.en) });
      return z.NEVER;
    }
    return result.value;
  })
  .describe('Resident ID number (居民身份证号码), 18 characters');

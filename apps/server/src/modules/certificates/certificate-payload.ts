import { type CertificatePayload, type FormField, maskIdNumber, maskMobile } from '@yimen/core';

/** Calendar dates on certificates are China's (UTC+8, no daylight saving). */
const CHINA_DATE = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** 'YYYY-MM-DD' in China. */
export function chinaDate(d: Date): string {
  return CHINA_DATE.format(d);
}

/** The same calendar day `years` later (29 February becomes 1 March). */
export function addYears(date: string, years: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y + years, m - 1, d)).toISOString().slice(0, 10);
}

/** 王建国 → 王*国, 欧阳明华 → 欧**华, 李四 → 李*; by code point, so no surrogate is split. */
export function maskPersonName(name: string): string {
  const chars = Array.from(name.trim());
  if (chars.length <= 1) return '*';
  if (chars.length === 2) return `${chars[0]}*`;
  return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars[chars.length - 1]}`;
}

/** Keeps the first six characters — roughly the county and township — of an address. */
function maskAddress(address: string): string {
  const chars = Array.from(address.trim());
  return chars.length <= 6
    ? `${chars.slice(0, 2).join('')}****`
    : `${chars.slice(0, 6).join('')}****`;
}

type FieldValue = CertificatePayload['fields'][string];

/**
 * The printed form fields, masked as the public may see them: the payload is published by
 * number, so names, ID numbers, mobiles and home addresses never go in whole. Without the
 * form (an item version that vanished), the field keys decide.
 */
export function certificateFields(
  keys: readonly string[],
  formData: Record<string, unknown>,
  form: ReadonlyMap<string, FormField>,
): Record<string, FieldValue> {
  const out: Record<string, FieldValue> = {};
  for (const key of keys) {
    const value = normalize(formData[key]);
    if (value === undefined) continue;
    out[key] = typeof value === 'string' ? maskFieldText(key, value, form.get(key)) : value;
  }
  return out;
}

function normalize(v: unknown): FieldValue | undefined {
  if (v === null || v === undefined || v === '') return undefined;
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (Array.isArray(v)) return v.map(String);
  return undefined;
}

function maskFieldText(key: string, value: string, field: FormField | undefined): string {
  const type = field?.type;
  const label = field?.label.zh ?? '';
  if (value.includes('*')) return value; // masked already by the applications service
  if (type === 'idNumber' || (!field && /idNumber$/i.test(key))) return maskIdNumber(value);
  if (type === 'mobile' || (!field && /mobile|phone/i.test(key))) return maskMobile(value);
  if (type !== 'text' && field) return value;
  // 残疾人证号 and the like are the ID number plus a suffix.
  if (/证号|身份号码/.test(label) || (!field && /CertNo$/.test(key))) return maskIdNumber(value);
  if (label.includes('姓名') || (!field && /Name$/.test(key) && key !== 'businessName'))
    return maskPersonName(value);
  if (/地址|住址/.test(label) || (!field && /address/i.test(key))) return maskAddress(value);
  return value;
}

/** A field value as printed: option labels for selects, 是/否, region names. */
export function displayValue(
  value: FieldValue,
  field: FormField | undefined,
  regionNames: ReadonlyMap<string, string>,
): string {
  const one = (v: string): string => {
    if (field?.type === 'select') return field.options.find((o) => o.value === v)?.label.zh ?? v;
    if (field?.type === 'region') return regionNames.get(v) ?? v;
    return v;
  };
  if (typeof value === 'boolean') return value ? '是' : '否';
  if (Array.isArray(value)) return value.map(one).join('、');
  return one(String(value));
}

import type { TextZhEn as Bi, FormField, ItemContent, Material } from '@yimen/core';

/**
 * The editor's values turned into exactly the shapes packages/core/src/catalog checks with
 * strict zod objects: each form field keeps only the keys its type allows (a field switched
 * from "select" to "text" drops its options), empty optional texts are left out, numbers are
 * numbers. Pure, so the browser test can check it against the core schema itself.
 */

export const FIELD_TYPES = [
  'text',
  'textarea',
  'number',
  'date',
  'boolean',
  'select',
  'idNumber',
  'mobile',
  'region',
] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

/** Every key some field type has, with its type there (a form field is one of several shapes). */
type KeyOfAny<U> = U extends unknown ? keyof U : never;
type ValueOfAny<U, K extends PropertyKey> = U extends unknown
  ? K extends keyof U
    ? U[K]
    : never
  : never;
type AnyFieldKeys = { [K in KeyOfAny<FormField>]: ValueOfAny<FormField, K> };

/**
 * What the editor holds for a field while it is being edited: anything may be missing, and
 * a key of another type may linger until the field is normalized.
 */
export type FieldDraft = Partial<Omit<AnyFieldKeys, 'label' | 'help' | 'options'>> & {
  label?: Partial<Bi>;
  help?: Partial<Bi>;
  options?: { value?: string; label?: Partial<Bi> }[];
};

const text = (v: unknown): string => (typeof v === 'string' ? v.trim() : '');
const num = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isFinite(v)
    ? v
    : typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))
      ? Number(v)
      : undefined;

function bi(v: Partial<Bi> | undefined): Bi {
  return { zh: text(v?.zh), en: text(v?.en) };
}

/** A bilingual text that is optional: left out unless at least one language is given. */
function optionalBi(v: Partial<Bi> | undefined): Bi | undefined {
  const b = bi(v);
  return b.zh || b.en ? b : undefined;
}

/** A new field as the "add field" button makes it: a required short text. */
export function newField(existingKeys: string[]): FormField {
  let n = existingKeys.length + 1;
  while (existingKeys.includes(`field${n}`)) n++;
  return {
    key: `field${n}`,
    type: 'text',
    label: { zh: '', en: '' },
    required: true,
    maxLength: 100,
  };
}

/** One form field with only the keys of its type, as formFieldSchema accepts it. */
export function normalizeField(f: FieldDraft): FormField {
  const type: FieldType = FIELD_TYPES.includes(f.type as FieldType)
    ? (f.type as FieldType)
    : 'text';
  const out: Record<string, unknown> = {
    key: text(f.key),
    type,
    label: bi(f.label),
    required: f.required === true,
  };
  const help = optionalBi(f.help);
  if (help) out.help = help;
  switch (type) {
    case 'text': {
      out.maxLength = num(f.maxLength) ?? 100;
      const pattern = text(f.pattern);
      if (pattern) out.pattern = pattern;
      break;
    }
    case 'textarea':
      out.maxLength = num(f.maxLength) ?? 1000;
      break;
    case 'number': {
      const min = num(f.min);
      const max = num(f.max);
      if (min !== undefined) out.min = min;
      if (max !== undefined) out.max = max;
      out.integer = f.integer === true;
      break;
    }
    case 'date':
      out.notAfterToday = f.notAfterToday === true;
      break;
    case 'select':
      out.options = (f.options ?? []).map((o) => ({ value: text(o?.value), label: bi(o?.label) }));
      out.multiple = f.multiple === true;
      break;
    case 'region':
      out.level = ['county', 'township', 'village'].includes(String(f.level)) ? f.level : 'village';
      break;
    default:
      break;
  }
  return out as unknown as FormField;
}

function normalizeMaterial(m: Partial<Material> & Record<string, unknown>): Material {
  const out: Record<string, unknown> = {
    key: text(m.key),
    name: bi(m.name),
    requirement: m.requirement === 'conditional' ? 'conditional' : 'required',
    form: m.form ?? 'original',
    copies: num(m.copies) ?? 1,
    formats: m.formats?.length ? m.formats : ['pdf', 'jpeg', 'png'],
    source:
      m.source?.kind === 'eCertificate'
        ? { kind: 'eCertificate', certificateType: text(m.source.certificateType) }
        : { kind: 'applicant' },
  };
  const condition = optionalBi(m.condition);
  if (condition) out.condition = condition;
  const example = text(m.example);
  if (example) out.example = example;
  return out as unknown as Material;
}

/**
 * The whole content from the editor's store: what the editor does not show (popularity,
 * notes…) passes through as it came; what it edits is cleaned as above.
 */
export function normalizeContent(values: Record<string, unknown>): ItemContent {
  const v = values as Partial<ItemContent> & Record<string, unknown>;
  const out: Record<string, unknown> = { ...v };
  out.basicCode = text(v.basicCode);
  out.name = bi(v.name);
  const shortName = text(v.shortName);
  if (shortName) out.shortName = shortName;
  else delete out.shortName;
  const summary = optionalBi(v.summary);
  if (summary) out.summary = summary;
  else delete out.summary;
  out.themes = v.themes ?? [];
  out.legalBasis = (v.legalBasis ?? []).map(text).filter(Boolean);
  out.acceptConditions = (v.acceptConditions ?? []).map((c) => bi(c));
  out.materials = (v.materials ?? []).map((m) => normalizeMaterial(m as never));
  out.form = { fields: (v.form?.fields ?? []).map((f) => normalizeField(f as FieldDraft)) };
  const routing = { ...(v.routing ?? {}) } as Record<string, unknown>;
  const system = text(routing.departmentSystem);
  if (system) routing.departmentSystem = system;
  else delete routing.departmentSystem;
  out.routing = routing;
  for (const k of ['legalDays', 'promisedDays', 'visitsRequired', 'popularity'] as const) {
    const n = num(v[k]);
    if (n !== undefined) out[k] = n;
  }
  const fee = v.fee as { kind?: string; amountYuan?: unknown; basis?: unknown } | undefined;
  out.fee =
    fee?.kind === 'fixed'
      ? { kind: 'fixed', amountYuan: num(fee.amountYuan) ?? 0, basis: text(fee.basis) }
      : { kind: 'none' };
  const tpl = v.certificateTemplate;
  if (tpl && (tpl.title?.zh || tpl.title?.en || tpl.fields?.length)) {
    const t: Record<string, unknown> = { title: bi(tpl.title), fields: tpl.fields ?? [] };
    const years = num(tpl.validYears);
    if (years !== undefined) t.validYears = years;
    out.certificateTemplate = t;
  } else delete out.certificateTemplate;
  const review = (v.workflow as { reviewRequired?: unknown } | undefined)?.reviewRequired;
  if (typeof review === 'boolean') out.workflow = { reviewRequired: review };
  else delete out.workflow;
  const notes = text(v.notes);
  if (notes) out.notes = notes;
  else delete out.notes;
  return out as unknown as ItemContent;
}

/** Where a problem is, for people: the editor's tab and the words for the place. */
export interface ProblemPlace {
  tab: 'guide' | 'materials' | 'routing' | 'form' | 'other';
  /** The form-field index or material index the problem is in, to select it. */
  index?: number;
  /** The path inside the content, for the editor's own fields: ['routing','acceptLevel']. */
  path: (string | number)[];
}

const ROUTING_KEYS = new Set(['routing', 'legalDays', 'promisedDays', 'workflow']);

/** `body.content.form.fields.2.label.en` → the form tab, field 2, path inside the content. */
export function placeOf(field: string): ProblemPlace {
  const s = field.replace(/^body\./, '');
  if (!s.startsWith('content.')) return { tab: 'other', path: [s] };
  const path = s
    .slice('content.'.length)
    .split('.')
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
  const [head, second, third] = path;
  if (head === 'form')
    return { tab: 'form', index: typeof third === 'number' ? third : undefined, path };
  if (head === 'materials')
    return { tab: 'materials', index: typeof second === 'number' ? second : undefined, path };
  if (typeof head === 'string' && ROUTING_KEYS.has(head)) return { tab: 'routing', path };
  return { tab: 'guide', path };
}

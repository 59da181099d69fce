import { z } from 'zod';
import { bi } from '../bilingual.ts';
import { regionCodeParam } from '../schemas/common.ts';
import { formSchema } from './form-schema.ts';
import {
  APPLICANT_TYPES,
  CHANNELS,
  CROSS_REGION_SCOPES,
  DELIVERY_METHODS,
  DEPARTMENTS,
  ITEM_TYPES,
  LEVELS,
  RESULT_TYPES,
  THEMES,
} from './vocab.ts';

const keysOf = <T extends Record<string, unknown>>(o: T) =>
  Object.keys(o) as [keyof T & string, ...(keyof T & string)[]];

export const textZhEn = z.strictObject({
  zh: z.string().trim().min(1).max(500),
  en: z.string().trim().min(1).max(500),
});
export type TextZhEn = z.infer<typeof textZhEn>;

export const itemCodeSchema = z
  .string()
  .trim()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9-]{3,59}$/,
    bi('编码为 4–60 位字母、数字或 -', 'a code has 4–60 letters, digits or -'),
  );

export const materialSchema = z.strictObject({
  key: z
    .string()
    .regex(
      /^[a-z][a-zA-Z0-9_]{0,39}$/,
      bi('材料标识须为小写字母开头', 'a material key starts with a lower-case letter'),
    ),
  name: textZhEn,
  requirement: z.enum(['required', 'conditional']),
  condition: textZhEn
    .optional()
    .describe('When the material is conditional: in which case it is needed'),
  form: z.enum(['original', 'copy', 'scan', 'original_and_copy']),
  copies: z.number().int().min(0).max(20).default(1),
  formats: z
    .array(z.enum(['pdf', 'jpeg', 'png']))
    .min(1)
    .default(['pdf', 'jpeg', 'png']),
  example: z.string().max(500).optional(),
  source: z
    .union([
      z.strictObject({ kind: z.literal('applicant') }),
      z.strictObject({
        kind: z.literal('eCertificate'),
        certificateType: z
          .string()
          .min(1)
          .max(60)
          .describe('The item code whose e-certificate stands in for this material'),
      }),
    ])
    .default({ kind: 'applicant' })
    .describe('applicant: handed in; eCertificate: fetched by the platform (免提交)'),
});
export type Material = z.infer<typeof materialSchema>;

export const routingSchema = z.strictObject({
  acceptLevel: z.enum(LEVELS),
  decideLevel: z.enum(LEVELS),
  decideBy: z.enum(['applicant_region', 'object_region']).default('applicant_region'),
  departmentSystem: z
    .string()
    .regex(/^[a-z][a-z0-9_-]{1,39}$/)
    .optional()
    .describe('A department system to call'),
  delivery: z.array(z.enum(keysOf(DELIVERY_METHODS))).min(1),
  crossRegion: z.enum(CROSS_REGION_SCOPES).default('none'),
});
export type Routing = z.infer<typeof routingSchema>;

export const feeSchema = z.union([
  z.strictObject({ kind: z.literal('none') }),
  z.strictObject({
    kind: z.literal('fixed'),
    amountYuan: z.number().min(0).max(1_000_000),
    basis: z.string().min(1).max(500),
  }),
]);

export const certificateTemplateSchema = z.strictObject({
  title: textZhEn,
  /** Form fields printed on the certificate, besides holder, item, dates and issuer. */
  fields: z.array(z.string().max(40)).max(20).default([]),
  validYears: z.number().int().min(0).max(100).optional(),
});

/** Everything a version of an item says: the guide, the form, the routing, the clocks. */
export const itemContentSchema = z.strictObject({
  basicCode: itemCodeSchema.describe('基本编码 (GB/T 39554 style)'),
  name: textZhEn,
  shortName: z.string().trim().max(30).optional(),
  type: z.enum(keysOf(ITEM_TYPES)),
  department: z.enum(keysOf(DEPARTMENTS)),
  themes: z
    .array(z.enum(keysOf(THEMES)))
    .max(6)
    .default([]),
  summary: textZhEn.optional(),
  legalBasis: z.array(z.string().trim().min(1).max(500)).max(20).default([]),
  acceptConditions: z.array(textZhEn).max(20).default([]),
  applicantType: z.enum(keysOf(APPLICANT_TYPES)),
  materials: z.array(materialSchema).max(40).default([]),
  form: formSchema,
  routing: routingSchema,
  legalDays: z.number().int().min(0).max(365),
  promisedDays: z.number().int().min(0).max(365),
  visitsRequired: z.number().int().min(0).max(5),
  fee: feeSchema.default({ kind: 'none' }),
  resultType: z.enum(keysOf(RESULT_TYPES)),
  certificateTemplate: certificateTemplateSchema.optional(),
  channels: z.array(z.enum(keysOf(CHANNELS))).min(1),
  popularity: z
    .number()
    .int()
    .min(0)
    .max(1_000_000)
    .default(0)
    .describe('Relative demand, for ranking'),
  workflow: z
    .strictObject({
      reviewRequired: z
        .boolean()
        .default(false)
        .describe('A review step must come before the decision'),
    })
    .optional()
    .describe('Overrides of the standard workflow for this item'),
  notes: z.string().max(2000).optional().describe('What the entry is modelled on'),
});
export type ItemContent = z.infer<typeof itemContentSchema>;
export type ItemContentInput = z.input<typeof itemContentSchema>;

/** An item as kept in the repository's data files and in import/export. */
export const catalogItemFileSchema = z.strictObject({
  code: itemCodeSchema.describe('实施编码: the implementation code, unique in the platform'),
  scopeRegionCode: regionCodeParam.describe(
    'Where the item applies: a city item applies to all its counties',
  ),
  content: itemContentSchema,
});
export type CatalogItemFile = z.infer<typeof catalogItemFileSchema>;

import { z } from 'zod';
import { bi } from '../bilingual.ts';
import { idNumberSchema } from '../id-number.ts';
import { mobileSchema } from '../phone.ts';
import { limitParam, regionCodeParam } from './common.ts';

/** 与户主关系: the member's relationship to the head of the household (户主). */
export const RELATIONSHIPS = [
  'head',
  'spouse',
  'child',
  'parent',
  'grandchild',
  'grandparent',
  'sibling',
  'other',
] as const;
export const relationshipSchema = z
  .enum(RELATIONSHIPS)
  .describe('Relationship to the head of the household (与户主关系); "head" is the head');
export type Relationship = z.infer<typeof relationshipSchema>;

/** Residents and households are registered at a village or community: a 12-digit code. */
export const villageCodeParam = z
  .string()
  .regex(
    /^\d{9}(?!000)\d{3}$/,
    bi('应为 12 位村（社区）代码', 'a village or community code has 12 digits'),
  )
  .describe('Village or community code (村/社区), 12 digits');

export const residentNameSchema = z
  .string()
  .trim()
  .min(1)
  .max(50)
  .refine(
    (s) => !/[\p{Cc}\p{Cf}]/u.test(s),
    bi('姓名不能包含控制字符', 'a name must not contain control characters'),
  )
  .describe('Name as on the ID card (姓名)');

const uuid = z.uuid(bi('应为 UUID', 'expected a UUID'));

export const residentIdParams = z.strictObject({ id: uuid });
export const householdIdParams = z.strictObject({ id: uuid });

const bothOrNeither = {
  check: (v: { householdId?: unknown; relationship?: unknown }) =>
    (v.householdId == null) === (v.relationship == null),
  message: bi(
    '登记入户时须同时填写户和与户主关系',
    'householdId and relationship go together: give both or neither',
  ),
};

export const createResidentBody = z
  .strictObject({
    name: residentNameSchema,
    idNumber: idNumberSchema,
    mobile: mobileSchema.optional(),
    regionCode: villageCodeParam.describe('Village or community of registration (户籍所在村)'),
    householdId: uuid.optional(),
    relationship: relationshipSchema.optional(),
  })
  .refine(bothOrNeither.check, { message: bothOrNeither.message, path: ['relationship'] });
export type CreateResidentInput = z.infer<typeof createResidentBody>;

export const updateResidentBody = z
  .strictObject({
    name: residentNameSchema.optional(),
    mobile: mobileSchema.nullable().optional().describe('null removes the number'),
    householdId: uuid.nullable().optional().describe('null takes the resident out of the 户'),
    relationship: relationshipSchema.nullable().optional(),
  })
  .refine((v) => Object.values(v).some((x) => x !== undefined), {
    message: bi('没有要修改的字段', 'nothing to change'),
  });
export type UpdateResidentInput = z.infer<typeof updateResidentBody>;

export const residentListQuery = z.strictObject({
  idNumber: idNumberSchema
    .optional()
    .describe('Exact lookup by the full ID number, e.g. read from the card at the counter'),
  q: z.string().trim().min(1).max(50).optional().describe('Name, or a prefix of its pinyin'),
  within: regionCodeParam.optional().describe('Only residents registered inside this region'),
  limit: limitParam,
  cursor: z
    .string()
    .max(300)
    .regex(/^[A-Za-z0-9_-]+$/)
    .optional()
    .describe('nextCursor of the previous page'),
});
export type ResidentListQuery = z.infer<typeof residentListQuery>;

export const residentLookupBody = z.strictObject({
  idNumber: idNumberSchema.describe('The full ID number, e.g. read from the card'),
});

export const createHouseholdBody = z.strictObject({
  regionCode: villageCodeParam,
  address: z.string().trim().min(1).max(200),
  householdNo: z
    .string()
    .trim()
    .regex(
      /^[0-9A-Za-z-]{4,32}$/,
      bi('户号为 4–32 位字母、数字或 -', 'a household number has 4–32 letters, digits or -'),
    )
    .optional()
    .describe('户号; made from the village code and a sequence when absent'),
});
export type CreateHouseholdInput = z.infer<typeof createHouseholdBody>;

const sexSchema = z.enum(['male', 'female']);

/**
 * What lists and cross-jurisdiction lookups show. No birth date: beside the masked number
 * (first 6 and last 4 characters) it would give back the whole ID number.
 */
export const residentSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  idNumberMasked: z.string().describe('430903********1234'),
  sex: sexSchema,
  mobileMasked: z.string().nullable(),
  regionCode: z.string(),
  householdId: z.string().nullable(),
  relationship: relationshipSchema.nullable(),
});
export type ResidentSummary = z.infer<typeof residentSummarySchema>;

export const householdMemberSchema = z.object({
  id: z.string(),
  name: z.string(),
  idNumberMasked: z.string(),
  sex: sexSchema,
  relationship: relationshipSchema.nullable(),
});

export const householdSchema = z.object({
  id: z.string(),
  householdNo: z.string(),
  regionCode: z.string(),
  address: z.string(),
  createdAt: z.string(),
  members: z.array(householdMemberSchema).describe('Head first, masked ID numbers'),
});
export type Household = z.infer<typeof householdSchema>;

/** The detail view: full ID number and mobile, for those allowed; each read is audited. */
export const residentDetailSchema = z.object({
  id: z.string(),
  name: z.string(),
  idNumber: z.string().describe('In full: every read of this view is in the audit trail'),
  idNumberMasked: z.string(),
  birthDate: z.string().describe('YYYY-MM-DD, from the ID number'),
  sex: sexSchema,
  mobile: z.string().nullable(),
  regionCode: z.string(),
  relationship: relationshipSchema.nullable(),
  household: householdSchema.nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type ResidentDetail = z.infer<typeof residentDetailSchema>;

export const residentPageSchema = z.object({
  items: z.array(residentSummarySchema),
  nextCursor: z.string().nullable(),
});
export type ResidentPage = z.infer<typeof residentPageSchema>;

import { z } from 'zod';
import { bi } from '../bilingual.ts';
import { limitParam, regionCodeParam } from './common.ts';

export const AUDIT_OUTCOMES = ['success', 'denied', 'failed'] as const;
export const auditOutcomeSchema = z.enum(AUDIT_OUTCOMES);

/** A moment: an ISO date-time with its offset, or a date, read as 00:00 Beijing time. */
const instantParam = z
  .string()
  .regex(
    /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2}))?$/,
    bi(
      '应为日期 2026-03-01 或带时区的时间 2026-03-01T08:00:00+08:00',
      'expected a date (2026-03-01) or a date-time with offset (2026-03-01T08:00:00+08:00)',
    ),
  )
  .refine(
    (v) => !Number.isNaN(Date.parse(v.length === 10 ? `${v}T00:00:00+08:00` : v)),
    bi('日期无效', 'not a real date'),
  );

const shortText = (max: number) => z.string().trim().min(1).max(max);

export const auditListQuery = z.strictObject({
  action: shortText(120)
    .optional()
    .describe('An action ("user.create"), or a prefix ending in * ("resident.*")'),
  actorUserId: z.uuid().optional().describe('Only acts of this user'),
  actorName: shortText(60)
    .optional()
    .describe('Only acts of the user with this username (as the row names the actor)'),
  applicationNo: shortText(60)
    .optional()
    .describe('Only acts on the case with this application number'),
  targetType: shortText(60).optional(),
  targetId: shortText(120).optional(),
  requestId: shortText(64).optional().describe('Everything one request did'),
  regionCode: regionCodeParam
    .optional()
    .describe('Only rows about this region or inside it (always within your jurisdiction)'),
  outcome: auditOutcomeSchema.optional(),
  from: instantParam.optional().describe('From this moment on (inclusive)'),
  to: instantParam.optional().describe('Before this moment (exclusive)'),
  limit: limitParam,
  cursor: z
    .string()
    .regex(
      /^\d{1,15}$/,
      bi('应为上一页最后一行的编号', 'expected the last id of the previous page'),
    )
    .optional()
    .describe('The last id of the previous page; rows come newest first'),
});
export type AuditListQuery = z.infer<typeof auditListQuery>;

export const auditLogItemSchema = z.object({
  id: z.number().int(),
  chain: z.string().describe('The hash chain the row belongs to: one per service point'),
  seq: z.number().int(),
  occurredAt: z.string(),
  actor: z.object({
    userId: z.string().nullable(),
    name: z.string().nullable(),
    roles: z.array(z.string()),
    servicePoint: z.string().nullable().describe('The code of the actor’s service point'),
  }),
  requestId: z.string().nullable(),
  ip: z.string().nullable(),
  action: z.string(),
  target: z.object({ type: z.string().nullable(), id: z.string().nullable() }),
  regionCode: z.string().nullable(),
  before: z.unknown().describe('Personal data masked, secrets removed'),
  after: z.unknown().describe('Personal data masked, secrets removed'),
  outcome: auditOutcomeSchema,
  hash: z.string(),
});
export type AuditLogItem = z.infer<typeof auditLogItemSchema>;

export const auditPageSchema = z.object({
  items: z.array(auditLogItemSchema),
  nextCursor: z.string().nullable(),
});
export type AuditPage = z.infer<typeof auditPageSchema>;

export const auditVerifyQuery = z.strictObject({
  chain: shortText(100).optional().describe('Only this chain, e.g. "sp:430922"'),
});

export const AUDIT_BREAK_REASONS = [
  'hash_mismatch',
  'prev_hash_mismatch',
  'gap',
  'head_mismatch',
] as const;

export const auditBreakSchema = z.object({
  chain: z.string(),
  seq: z.number().int(),
  id: z.number().int().nullable().describe('null when the row is missing'),
  reason: z.enum(AUDIT_BREAK_REASONS),
  action: z.string().nullable(),
  occurredAt: z.string().nullable(),
  detail: z.string(),
});

export const auditVerifyResultSchema = z.object({
  ok: z.boolean(),
  chains: z.number().int(),
  rows: z.number().int(),
  durationMs: z.number(),
  firstBroken: auditBreakSchema.optional(),
  broken: z
    .array(auditBreakSchema)
    .describe('The first break of each broken chain, in chain order (at most 100)'),
  brokenChains: z.number().int(),
});
export type AuditVerifyResult = z.infer<typeof auditVerifyResultSchema>;

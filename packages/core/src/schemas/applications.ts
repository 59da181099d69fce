import { z } from 'zod';
import { bi } from '../bilingual.ts';
import { itemCodeSchema } from '../catalog/item-schema.ts';
import { idNumberSchema } from '../id-number.ts';
import { ACTION_NAMES, APPLICATION_STATUSES } from '../workflow/workflow.ts';
import { limitParam } from './common.ts';

export const sha256Schema = z
  .string()
  .regex(/^[0-9a-f]{64}$/, bi('文件摘要应为 64 位十六进制', 'a SHA-256 has 64 hex digits'));

export const materialRefSchema = z.strictObject({
  key: z.string().min(1).max(40).describe('The material key in the item’s list'),
  sha256: sha256Schema.describe('An uploaded file (POST /api/v1/files)'),
  filename: z.string().trim().max(200).optional(),
});

/** POST /files: the stored file, named by its content. */
export const uploadedFileSchema = z.object({
  sha256: z.string(),
  size: z.number(),
  mime: z.string(),
});
export type UploadedFile = z.infer<typeof uploadedFileSchema>;

export const proxyConsentSchema = z.discriminatedUnion('method', [
  z.strictObject({
    method: z.literal('sms'),
    code: z
      .string()
      .regex(/^\d{6}$/, bi('验证码为 6 位数字', 'the code has 6 digits'))
      .describe('The code the villager reads out'),
  }),
  z.strictObject({
    method: z.literal('signedScan'),
    sha256: sha256Schema.describe('The signed consent form, scanned and uploaded'),
  }),
]);

/** POST /applications/proxy-consent (202): where the consent code went, and for how long. */
export const proxyConsentSentSchema = z.object({
  mobileMasked: z.string(),
  expiresInSeconds: z.number(),
});
export type ProxyConsentSent = z.infer<typeof proxyConsentSentSchema>;

export const submitApplicationBody = z.strictObject({
  itemCode: itemCodeSchema,
  channel: z.enum(['online', 'counter', 'proxy']),
  applicantId: z
    .uuid()
    .optional()
    .describe('The resident applying (staff channels); online: oneself'),
  formData: z.record(z.string(), z.unknown()).default({}),
  materials: z.array(materialRefSchema).max(40).default([]),
  deliverToServicePoint: z
    .string()
    .max(64)
    .optional()
    .describe('Where to pick the result up, if not where received'),
  proxyConsent: proxyConsentSchema.optional(),
});
export type SubmitApplicationInput = z.infer<typeof submitApplicationBody>;

export const applicationActionBody = z.strictObject({
  version: z.number().int().min(1).describe('The version of the case the client saw'),
  comment: z.string().trim().max(2000).optional(),
  reasons: z.string().trim().min(1).max(2000).optional(),
  legalBasis: z.string().trim().min(1).max(1000).optional(),
  missing: z
    .array(
      z.strictObject({
        item: z.string().trim().min(1).max(200),
        detail: z.string().trim().max(500).optional(),
      }),
    )
    .max(30)
    .optional()
    .describe('Everything missing, in one notice (一次性告知)'),
  procedure: z
    .enum(['site_inspection', 'public_notice', 'hearing', 'expert_review', 'other'])
    .optional(),
  recipient: z
    .strictObject({
      name: z.string().trim().min(1).max(50),
      idNumber: idNumberSchema.describe(
        'Checked against the applicant’s, or recorded for an authorised person',
      ),
      relation: z.enum(['self', 'family', 'authorised']).default('self'),
    })
    .optional(),
  trackingNo: z.string().trim().min(4).max(40).optional(),
  materials: z
    .array(materialRefSchema)
    .max(40)
    .optional()
    .describe('Resubmit: the corrected materials'),
  formData: z.record(z.string(), z.unknown()).optional().describe('Resubmit: the corrected form'),
});
export type ApplicationActionInput = z.infer<typeof applicationActionBody>;

export const applicationActionParams = z.strictObject({
  id: z.uuid(),
  action: z.enum(ACTION_NAMES as [string, ...string[]]),
});

export const lightSchema = z.enum(['green', 'yellow', 'red', 'none']);
export type Light = z.infer<typeof lightSchema>;

const unitSchema = z.object({ code: z.string(), name: z.string() });

export const applicationSummarySchema = z.object({
  id: z.string(),
  applicationNo: z.string(),
  itemCode: z.string(),
  itemName: z.string(),
  itemVersion: z.number().int(),
  applicantName: z.string(),
  channel: z.enum(['online', 'counter', 'proxy']),
  status: z.enum(APPLICATION_STATUSES),
  statusLabel: z.string(),
  version: z.number().int(),
  received: unitSchema,
  deciding: unitSchema,
  delivering: unitSchema,
  crossRegion: z.boolean(),
  submittedAt: z.string(),
  dueDate: z.string().nullable(),
  dueIsEstimate: z.boolean(),
  light: lightSchema,
});
export type ApplicationSummary = z.infer<typeof applicationSummarySchema>;

export const historyEntrySchema = z.object({
  seq: z.number().int(),
  action: z.string(),
  label: z.string(),
  fromStatus: z.string().nullable(),
  toStatus: z.string(),
  actor: z.object({
    kind: z.string(),
    name: z.string().nullable(),
    roles: z.array(z.string()),
    servicePoint: z.string().nullable(),
  }),
  comment: z.string().nullable(),
  payload: z.unknown(),
  occurredAt: z.string(),
});
export type HistoryEntry = z.infer<typeof historyEntrySchema>;

export const applicationDetailSchema = applicationSummarySchema.extend({
  applicant: z.object({ id: z.string(), name: z.string(), idNumberMasked: z.string() }),
  formData: z.record(z.string(), z.unknown()),
  materials: z.array(
    z.object({
      key: z.string(),
      source: z.string(),
      sha256: z.string().nullable(),
      certificateNo: z.string().nullable(),
      filename: z.string().nullable(),
    }),
  ),
  missingMaterials: z.array(z.string()).describe('Required materials not yet attached'),
  history: z.array(historyEntrySchema),
  allowedActions: z.array(z.string()).describe('What the signed-in user may do now'),
  certificateNo: z.string().nullable(),
  correction: z.unknown().nullable().describe('The open correction notice, if any'),
  rating: z.object({ grade: z.number().int(), comment: z.string().nullable() }).nullable(),
});
export type ApplicationDetail = z.infer<typeof applicationDetailSchema>;

export const WORKLIST_BOXES = [
  'to_accept',
  'to_review',
  'to_decide',
  'to_issue',
  'to_hand_over',
  'due_soon',
  'overdue',
  'in_progress',
  'done',
  'mine',
] as const;
export const worklistQuery = z.strictObject({
  box: z.enum(WORKLIST_BOXES).default('in_progress'),
  limit: limitParam,
  cursor: z.string().max(200).optional().describe('Opaque: from nextCursor'),
  sort: z.enum(['due_date', 'submitted_at']).default('due_date'),
});

export const applicationPageSchema = z.object({
  items: z.array(applicationSummarySchema),
  nextCursor: z.string().nullable(),
});
export type ApplicationPage = z.infer<typeof applicationPageSchema>;

/** GET /me/notifications: the notices sent to the signed-in resident, newest first. */
export const notificationSchema = z.object({
  id: z.string(),
  kind: z.string(),
  title: z.string(),
  body: z.string(),
  applicationId: z.string().nullable(),
  createdAt: z.string(),
  read: z.boolean(),
});
export const notificationListSchema = z.object({ items: z.array(notificationSchema) });
export type NotificationList = z.infer<typeof notificationListSchema>;

export const ratingBody = z.strictObject({
  grade: z
    .number()
    .int()
    .min(1)
    .max(5)
    .describe('5 非常满意, 4 满意, 3 基本满意, 2 不满意, 1 非常不满意'),
  comment: z.string().trim().max(1000).optional(),
});

export const RATING_LABELS: Record<number, { zh: string; en: string }> = {
  5: { zh: '非常满意', en: 'Very satisfied' },
  4: { zh: '满意', en: 'Satisfied' },
  3: { zh: '基本满意', en: 'Fairly satisfied' },
  2: { zh: '不满意', en: 'Dissatisfied' },
  1: { zh: '非常不满意', en: 'Very dissatisfied' },
};

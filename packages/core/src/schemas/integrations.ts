import { z } from 'zod';
import { bi } from '../bilingual.ts';
import { itemCodeSchema } from '../catalog/item-schema.ts';
import { limitParam, regionCodeParam } from './common.ts';

/**
 * The integration hub's shapes: department systems (connectors) and webhook subscribers as
 * administrators register them, the outbox and message log as they inspect them, and what
 * department systems send us and receive from us.
 */

/** Case events delivered to webhooks, to connectors that subscribe, and to NATS JetStream. */
export const INTEGRATION_EVENTS = [
  'submitted',
  'accepted',
  'decided',
  'issued',
  'concluded',
  'rated',
] as const;
export type IntegrationEvent = (typeof INTEGRATION_EVENTS)[number];

/** What routing.departmentSystem names, e.g. hrss, medical-insurance. */
export const systemKeySchema = z
  .string()
  .regex(
    /^[a-z][a-z0-9_-]{1,39}$/,
    bi('系统类别为小写字母、数字、-', 'lowercase letters, digits, -'),
  );

const httpUrl = z
  .url({ protocol: /^https?$/ })
  .max(500)
  .describe('http:// or https://');

const secret = z
  .string()
  .min(32, bi('密钥至少 32 个字符', 'a secret has at least 32 characters'))
  .max(200)
  .describe('Write-only: stored encrypted and never returned');

const ed25519PublicKey = z
  .string()
  .regex(/^[A-Za-z0-9_-]{43}$/, bi('公钥应为 32 字节 base64url', 'a 32-byte base64url key'))
  .describe('Ed25519 public key, raw 32 bytes, base64url (JWK x)');

export const connectorAuthSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('hmac'), secret }),
  z.strictObject({
    kind: z.literal('ed25519'),
    publicKey: ed25519PublicKey.describe('The department’s key: verifies its calls to us'),
  }),
]);

export const departmentSystemCreateBody = z.strictObject({
  code: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{1,39}$/)
    .describe('Our name for the connector, e.g. hrss-4309'),
  systemKey: systemKeySchema.describe('The routing.departmentSystem it serves'),
  name: z.string().trim().min(1).max(100),
  department: z.string().trim().min(1).max(60),
  baseUrl: httpUrl.describe('We POST cases to {baseUrl}/cases and events to {baseUrl}/events'),
  clientId: z
    .string()
    .regex(/^[A-Za-z0-9._-]{3,64}$/)
    .describe('The x-yimen-system header of its calls'),
  auth: connectorAuthSchema,
  items: z.array(itemCodeSchema).max(500).default([]).describe('Empty: every item routed to it'),
  events: z.array(z.enum(INTEGRATION_EVENTS)).max(10).default([]),
  timeoutMs: z.number().int().min(100).max(120_000).default(10_000),
  servicePointCode: z
    .string()
    .max(64)
    .optional()
    .describe('Its office: whose seal signs the certificates it issues'),
  active: z.boolean().default(true),
});
export type DepartmentSystemCreateInput = z.infer<typeof departmentSystemCreateBody>;

export const departmentSystemPatchBody = z.strictObject({
  name: z.string().trim().min(1).max(100).optional(),
  department: z.string().trim().min(1).max(60).optional(),
  baseUrl: httpUrl.optional(),
  auth: connectorAuthSchema.optional().describe('Rotates the credentials'),
  items: z.array(itemCodeSchema).max(500).optional(),
  events: z.array(z.enum(INTEGRATION_EVENTS)).max(10).optional(),
  timeoutMs: z.number().int().min(100).max(120_000).optional(),
  servicePointCode: z.string().max(64).nullable().optional(),
  active: z.boolean().optional(),
});
export type DepartmentSystemPatchInput = z.infer<typeof departmentSystemPatchBody>;

export const departmentSystemSchema = z.object({
  id: z.string(),
  code: z.string(),
  systemKey: z.string(),
  name: z.string(),
  department: z.string(),
  baseUrl: z.string(),
  clientId: z.string(),
  authKind: z.enum(['hmac', 'ed25519']),
  peerPublicKey: z.string().nullable(),
  platformPublicKey: z.string().nullable().describe('Ed25519: ours, for the department'),
  items: z.array(z.string()),
  events: z.array(z.string()),
  timeoutMs: z.number().int(),
  servicePointCode: z.string().nullable(),
  active: z.boolean(),
  backlog: z.object({
    pending: z.number().int(),
    dead: z.number().int(),
    failing: z
      .number()
      .int()
      .optional()
      .describe('Pending messages that failed at least once and wait for a retry'),
    lastError: z
      .string()
      .nullable()
      .optional()
      .describe('The error of the most recent failed attempt among pending and dead messages'),
  }),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type DepartmentSystem = z.infer<typeof departmentSystemSchema>;

export const webhookCreateBody = z.strictObject({
  name: z.string().trim().min(1).max(100),
  url: httpUrl,
  secret,
  events: z.array(z.enum(INTEGRATION_EVENTS)).min(1).max(10),
  regionCode: regionCodeParam.optional().describe('Only cases decided within this region'),
  active: z.boolean().default(true),
});
export const webhookPatchBody = webhookCreateBody.partial();
export const webhookSchema = z.object({
  id: z.string(),
  name: z.string(),
  url: z.string(),
  events: z.array(z.string()),
  regionCode: z.string().nullable(),
  active: z.boolean(),
  createdAt: z.string(),
});
export type Webhook = z.infer<typeof webhookSchema>;

export const OUTBOX_STATUSES = ['pending', 'sent', 'dead'] as const;
export const outboxListQuery = z.strictObject({
  status: z.enum(OUTBOX_STATUSES).default('dead'),
  topic: z.string().max(40).optional(),
  targetId: z.uuid().optional().describe('Only messages for this connector or subscription'),
  applicationNo: z.string().min(3).max(60).optional().describe('Only messages of this case'),
  limit: limitParam,
  before: z.coerce.number().int().min(1).optional().describe('Rows with a smaller id (paging)'),
});
export const outboxRowSchema = z.object({
  id: z.number().int(),
  messageId: z.string(),
  topic: z.string(),
  target: z.string().nullable().describe('The connector or subscription it is for'),
  applicationId: z.string().nullable(),
  applicationNo: z.string().nullable(),
  status: z.enum(OUTBOX_STATUSES),
  attempts: z.number().int(),
  nextAttemptAt: z
    .string()
    .nullable()
    .describe('null: queued behind an earlier message of its case for the same receiver'),
  lastError: z.string().nullable(),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
  replayedAt: z.string().nullable(),
});
export type OutboxRow = z.infer<typeof outboxRowSchema>;
export const outboxPageSchema = z.object({
  items: z.array(outboxRowSchema),
  summary: z.array(
    z.object({
      topic: z.string(),
      pending: z.number().int(),
      dead: z.number().int(),
      oldestPendingAt: z.string().nullable(),
    }),
  ),
  nextBefore: z.number().int().nullable(),
});
export type OutboxPage = z.infer<typeof outboxPageSchema>;

export const messageLogQuery = z.strictObject({
  applicationNo: z.string().min(3).max(60),
  limit: limitParam,
});
export const messageLogEntrySchema = z.object({
  id: z.number().int(),
  direction: z.enum(['outbound', 'inbound']),
  channel: z.string(),
  system: z.string().nullable(),
  messageId: z.string().nullable(),
  requestId: z.string().nullable(),
  applicationNo: z.string().nullable(),
  method: z.string().nullable(),
  url: z.string(),
  requestHeaders: z.unknown(),
  requestBody: z.unknown(),
  requestSha256: z.string().nullable(),
  statusCode: z.number().int().nullable(),
  responseHeaders: z.unknown(),
  responseBody: z.unknown(),
  responseSha256: z.string().nullable(),
  outcome: z.string(),
  error: z.string().nullable(),
  startedAt: z.string(),
  durationMs: z.number().int(),
});
export type MessageLogEntry = z.infer<typeof messageLogEntrySchema>;

// ---- between the platform and a department system ----

const missingSchema = z
  .array(
    z.strictObject({
      item: z.string().trim().min(1).max(200),
      detail: z.string().trim().max(500).optional(),
    }),
  )
  .min(1)
  .max(30);

/**
 * A department's answer, to our call (200 accepted / 400 rejected / 202 later) or in a
 * callback. A rejection either ends the case (verdict deny, with reasons) or asks the
 * applicant for a correction (verdict correction, listing everything missing).
 */
export const departmentAnswerBody = z.strictObject({
  result: z.enum(['accepted', 'rejected', 'later']),
  verdict: z.enum(['deny', 'correction']).optional(),
  reasons: z.string().trim().min(1).max(2000).optional(),
  legalBasis: z.string().trim().min(1).max(1000).optional(),
  missing: missingSchema.optional(),
  reference: z.string().trim().min(1).max(100).optional().describe('The department’s own number'),
  comment: z.string().trim().max(2000).optional(),
});
export type DepartmentAnswer = z.infer<typeof departmentAnswerBody>;

/** The department decided and issues the result: the case goes to hand-over. */
export const departmentResultBody = z.strictObject({
  reference: z.string().trim().min(1).max(100).optional(),
  certificate: z
    .strictObject({
      number: z.string().trim().min(1).max(100).describe('The department’s certificate number'),
      title: z.string().trim().max(200).optional(),
    })
    .optional(),
  comment: z.string().trim().max(2000).optional(),
});
export type DepartmentResult = z.infer<typeof departmentResultBody>;

export const departmentCaseListQuery = z.strictObject({
  status: z.enum(['with_department', 'all']).default('with_department'),
  limit: limitParam,
});

export const inboundAckSchema = z.object({
  applicationNo: z.string(),
  status: z.string(),
  action: z.string().nullable().describe('The workflow action taken, or null if none was due'),
});

/** What we POST to {baseUrl}/cases: the case, signed, with where to call back. */
export const departmentCaseMessageSchema = z.object({
  messageId: z.string(),
  type: z.literal('case.assigned'),
  sentAt: z.string().describe('When this attempt was sent; the message id stays the same'),
  application: z.object({
    id: z.string(),
    applicationNo: z.string(),
    itemCode: z.string(),
    itemName: z.string(),
    itemVersion: z.number().int(),
    channel: z.string(),
    submittedAt: z.string(),
    acceptedAt: z.string().nullable(),
    dueDate: z.string().nullable(),
    applicant: z.object({
      name: z.string(),
      idNumber: z.string(),
      mobile: z.string().nullable(),
      regionCode: z.string(),
    }),
    formData: z.record(z.string(), z.unknown()),
    materials: z.array(
      z.object({
        key: z.string(),
        sha256: z.string().nullable(),
        certificateNo: z.string().nullable(),
      }),
    ),
    received: z.object({ code: z.string(), name: z.string() }),
    deciding: z.object({ code: z.string(), name: z.string() }),
  }),
  callback: z.object({ status: z.string(), result: z.string() }),
});
export type DepartmentCaseMessage = z.infer<typeof departmentCaseMessageSchema>;

/** A case as a department pulls it: the message's case, its status and where to answer. */
export const departmentAssignedCaseSchema = departmentCaseMessageSchema.shape.application.extend({
  status: z.string(),
  callback: departmentCaseMessageSchema.shape.callback,
});

/** An event as webhooks, connectors and NATS receive it. */
export const caseEventSchema = z.object({
  eventId: z.string().describe('The message id: deduplicate on it'),
  event: z.enum(INTEGRATION_EVENTS),
  occurredAt: z.string(),
  application: z.object({
    id: z.string(),
    applicationNo: z.string(),
    itemCode: z.string(),
    itemName: z.string(),
    status: z.string(),
    regionCode: z.string().describe('The deciding unit’s region'),
  }),
  action: z.string().nullable(),
  data: z.record(z.string(), z.unknown()).optional(),
});
export type CaseEvent = z.infer<typeof caseEventSchema>;

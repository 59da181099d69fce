import type { Bi, FormField } from '../../api/types.ts';

/** The shapes of the admin API answers the console reads (see /api/openapi.json). */

export type CatalogStatus = 'draft' | 'published' | 'retired';

export interface AdminItemSummary {
  code: string;
  name: string;
  nameEn: string;
  scopeRegionCode: string;
  status: CatalogStatus;
  version: number | null;
  department: string;
  type: string;
  themes: string[];
  channels: string[];
  acceptLevel: string;
  promisedDays: number;
  visitsRequired: number;
  draftVersion?: number | null;
}

export interface Material {
  key: string;
  name: Bi;
  requirement: 'required' | 'conditional';
  condition?: Bi;
  form: 'original' | 'copy' | 'scan' | 'original_and_copy';
  copies: number;
  formats: ('pdf' | 'jpeg' | 'png')[];
  example?: string;
  source: { kind: 'applicant' } | { kind: 'eCertificate'; certificateType: string };
}

/** An item version's content, as packages/core/src/catalog/item-schema.ts defines it. */
export interface ItemContent {
  basicCode: string;
  name: Bi;
  shortName?: string;
  type: string;
  department: string;
  themes: string[];
  summary?: Bi;
  legalBasis: string[];
  acceptConditions: Bi[];
  applicantType: string;
  materials: Material[];
  form: { fields: FormField[] };
  routing: {
    acceptLevel: string;
    decideLevel: string;
    decideBy: 'applicant_region' | 'object_region';
    departmentSystem?: string;
    delivery: string[];
    crossRegion: string;
  };
  legalDays: number;
  promisedDays: number;
  visitsRequired: number;
  fee: { kind: 'none' } | { kind: 'fixed'; amountYuan: number; basis: string };
  resultType: string;
  certificateTemplate?: { title: Bi; fields: string[]; validYears?: number };
  channels: string[];
  popularity: number;
  workflow?: { reviewRequired: boolean };
  notes?: string;
}

export interface ItemVersion {
  code: string;
  scopeRegionCode: string;
  version: number;
  status: CatalogStatus;
  publishedAt: string | null;
  retiredAt: string | null;
  content: ItemContent;
}

export interface VersionRow {
  version: number;
  status: CatalogStatus;
  createdAt: string;
  publishedAt: string | null;
  retiredAt: string | null;
}

export interface Problem {
  field: string;
  message: string;
}

export interface StaffUser {
  id: string;
  username: string;
  displayName: string;
  roles: string[];
  servicePoint: { code: string; name: string; regionCode: string };
  department: string | null;
  active: boolean;
  lockedUntil: string | null;
  createdAt: string;
}

export interface ServicePoint {
  code: string;
  name: string;
  kind: string;
  regionCode: string;
  address: string | null;
  phone: string | null;
  active: boolean;
}

export interface RegionRef {
  code: string;
  name: string;
  level: string;
  parentCode?: string | null;
}

export interface DepartmentSystem {
  id: string;
  code: string;
  systemKey: string;
  name: string;
  department: string;
  baseUrl: string;
  clientId: string;
  authKind: 'hmac' | 'ed25519';
  items: string[];
  events: string[];
  timeoutMs: number;
  servicePointCode: string | null;
  active: boolean;
  backlog: { pending: number; dead: number; failing?: number; lastError?: string | null };
  updatedAt: string;
}

export interface OutboxRow {
  id: number;
  messageId: string;
  topic: string;
  target: string | null;
  applicationId: string | null;
  applicationNo: string | null;
  status: 'pending' | 'sent' | 'dead';
  attempts: number;
  nextAttemptAt: string | null;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
  replayedAt: string | null;
}

export interface OutboxPage {
  items: OutboxRow[];
  summary: { topic: string; pending: number; dead: number; oldestPendingAt: string | null }[];
  nextBefore: number | null;
}

export interface MessageLogEntry {
  id: number;
  direction: 'outbound' | 'inbound';
  channel: string;
  system: string | null;
  messageId: string | null;
  requestId: string | null;
  applicationNo: string | null;
  method: string | null;
  url: string;
  requestHeaders: unknown;
  requestBody: unknown;
  requestSha256: string | null;
  statusCode: number | null;
  responseHeaders: unknown;
  responseBody: unknown;
  responseSha256: string | null;
  outcome: string;
  error: string | null;
  startedAt: string;
  durationMs: number;
}

export interface Webhook {
  id: string;
  name: string;
  url: string;
  events: string[];
  regionCode: string | null;
  active: boolean;
  createdAt: string;
}

export interface AuditItem {
  id: number;
  chain: string;
  seq: number;
  occurredAt: string;
  actor: {
    userId: string | null;
    name: string | null;
    roles: string[];
    servicePoint: string | null;
  };
  requestId: string | null;
  ip: string | null;
  action: string;
  target: { type: string | null; id: string | null };
  regionCode: string | null;
  before: unknown;
  after: unknown;
  outcome: 'success' | 'denied' | 'failed';
  hash: string;
}

export interface AuditBreak {
  chain: string;
  seq: number;
  id: number | null;
  reason: string;
  action: string | null;
  occurredAt: string | null;
  detail: string;
}

export interface AuditVerifyResult {
  ok: boolean;
  chains: number;
  rows: number;
  durationMs: number;
  firstBroken?: AuditBreak;
  broken: AuditBreak[];
  brokenChains: number;
}

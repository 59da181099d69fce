import type { Role } from '@yimen/core';
import type { ColumnType, Generated } from 'kysely';

/**
 * Row types of the tables the migrations create, kept by hand beside them: a migration
 * that adds a column adds it here in the same commit.
 */
type CreatedAt = ColumnType<Date, Date | undefined, never>;
type UpdatedAt = ColumnType<Date, Date | undefined, Date>;

export interface RegionTable {
  code: string;
  name: string;
  level: 'province' | 'city' | 'county' | 'township' | 'village';
  parent_code: string | null;
  name_pinyin: string;
  name_initials: string;
}

export type ServicePointKind =
  | 'village_station'
  | 'township_centre'
  | 'county_centre'
  | 'city_centre'
  | 'department_office';

export interface ServicePointTable {
  id: Generated<string>;
  code: string;
  name: string;
  kind: ServicePointKind;
  region_code: string;
  address: string | null;
  phone: string | null;
  active: Generated<boolean>;
  created_at: CreatedAt;
}

export interface HouseholdTable {
  id: Generated<string>;
  household_no: string;
  region_code: string;
  address: string;
  created_at: CreatedAt;
}

export type Relationship =
  | 'head'
  | 'spouse'
  | 'child'
  | 'parent'
  | 'grandchild'
  | 'grandparent'
  | 'sibling'
  | 'other';

export interface ResidentTable {
  id: Generated<string>;
  name: string;
  id_number_cipher: string;
  id_number_hmac: string;
  id_number_masked: string;
  sex: 'male' | 'female';
  mobile: string | null;
  region_code: string;
  household_id: string | null;
  relationship: Relationship | null;
  name_pinyin: Generated<string>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface AppUserTable {
  id: Generated<string>;
  kind: 'staff' | 'citizen';
  username: string | null;
  display_name: string;
  password_hash: string | null;
  mobile: string | null;
  service_point_id: string | null;
  department: string | null;
  resident_id: string | null;
  active: Generated<boolean>;
  failed_logins: Generated<number>;
  locked_until: Date | null;
  password_changed_at: Date | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface UserRoleTable {
  user_id: string;
  role: Role;
}

export interface UserSessionTable {
  id: Generated<string>;
  user_id: string;
  kind: 'cookie' | 'bearer';
  token_hash: string;
  csrf_token: string | null;
  ip: string | null;
  user_agent: string | null;
  created_at: CreatedAt;
  last_seen_at: UpdatedAt;
  expires_at: Date;
  revoked_at: Date | null;
}

export interface SmsCodeTable {
  id: Generated<string>;
  mobile: string;
  purpose: string;
  code_hash: string;
  ip: string | null;
  attempts: Generated<number>;
  created_at: CreatedAt;
  expires_at: Date;
  used_at: Date | null;
}

export interface SmsMessageTable {
  id: Generated<string>;
  mobile: string;
  body: string;
  purpose: string;
  created_at: CreatedAt;
}

export interface AuditLogTable {
  id: Generated<number>;
  chain: string;
  seq: number;
  occurred_at: Date;
  actor_user_id: string | null;
  actor_name: string | null;
  actor_roles: string[];
  actor_service_point: string | null;
  request_id: string | null;
  ip: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  region_code: string | null;
  before: unknown;
  after: unknown;
  outcome: 'success' | 'denied' | 'failed';
  prev_hash: string;
  hash: string;
}

export interface AuditChainHeadTable {
  chain: string;
  seq: number;
  hash: string;
}

export type CatalogStatus = 'draft' | 'published' | 'retired';

export interface CatalogItemTable {
  id: Generated<string>;
  code: string;
  scope_region_code: string;
  status: CatalogStatus;
  current_version: number | null;
  name: string;
  name_en: string;
  name_pinyin: string;
  name_initials: string;
  search_text: string;
  department: string;
  item_type: string;
  themes: string[];
  channels: string[];
  accept_level: string;
  promised_days: number;
  visits_required: number;
  popularity: number;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface CatalogItemVersionTable {
  id: Generated<string>;
  item_id: string;
  version: number;
  status: CatalogStatus;
  content: unknown;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
  published_by: string | null;
  published_at: Date | null;
  retired_at: Date | null;
}

export interface CalendarYearTable {
  year: number;
  source: string;
  loaded_by: string | null;
  loaded_at: UpdatedAt;
}

export interface CalendarDayTable {
  day: string;
  kind: 'holiday' | 'workday';
  name: Generated<string>;
}

export interface StoredFileTable {
  sha256: string;
  size: number;
  mime: 'application/pdf' | 'image/jpeg' | 'image/png';
  uploaded_by: string | null;
  created_at: CreatedAt;
}

export interface ApplicationNoSeqTable {
  service_point_code: string;
  day: string;
  last_no: number;
}

export type ApplicationStatus =
  | 'pending_pre_review'
  | 'pending_acceptance'
  | 'correction_requested'
  | 'under_review'
  | 'pending_decision'
  | 'with_department'
  | 'suspended'
  | 'approved'
  | 'issued'
  | 'concluded'
  | 'refused'
  | 'withdrawn';

export interface ApplicationTable {
  id: Generated<string>;
  application_no: string;
  item_id: string;
  item_code: string;
  item_version: number;
  item_name: string;
  applicant_id: string;
  applicant_name: string;
  channel: 'online' | 'counter' | 'proxy';
  submitted_by: string | null;
  proxy_consent: unknown;
  form_data: unknown;
  form_sealed: unknown;
  received_sp_id: string;
  received_region: string;
  accepting_sp_id: string;
  deciding_sp_id: string;
  deciding_region: string;
  deliver_sp_id: string;
  delivery_method: string | null;
  cross_region: Generated<boolean>;
  status: ApplicationStatus;
  resume_status: ApplicationStatus | null;
  version: Generated<number>;
  promised_days: number;
  accepted_at: Date | null;
  clock_running_since: string | null;
  working_days_used: Generated<number>;
  due_date: string | null;
  warn_date: string | null;
  due_is_estimate: Generated<boolean>;
  decision: 'approved' | 'denied' | null;
  outcome: string | null;
  concluded_at: Date | null;
  submitted_at: CreatedAt;
  updated_at: UpdatedAt;
  /** The department system the case is with (integrations), if its item routes to one. */
  department_system_id: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface ApplicationActionTable {
  id: Generated<number>;
  application_id: string;
  seq: number;
  action: string;
  from_status: string | null;
  to_status: string;
  actor_kind: 'staff' | 'citizen' | 'department' | 'system';
  actor_user_id: string | null;
  actor_name: string | null;
  actor_roles: string[];
  actor_sp_code: string | null;
  comment: string | null;
  payload: unknown;
  attachments: unknown;
  request_id: string | null;
  occurred_at: CreatedAt;
}

export interface ApplicationMaterialTable {
  id: Generated<string>;
  application_id: string;
  material_key: string;
  source: 'upload' | 'eCertificate';
  file_sha256: string | null;
  certificate_no: string | null;
  filename: string | null;
  added_by: string | null;
  added_at: CreatedAt;
}

export interface IdempotencyKeyTable {
  user_id: string;
  key: string;
  request_hash: string;
  status_code: number | null;
  response: unknown;
  created_at: CreatedAt;
}

export interface SealKeyTable {
  key_id: string;
  service_point_id: string;
  public_key: string;
  private_key_cipher: string;
  status: 'active' | 'retired';
  created_at: CreatedAt;
  retired_at: Date | null;
}

export interface CertificateTable {
  id: Generated<string>;
  certificate_no: string;
  application_id: string;
  item_code: string;
  holder_id: string;
  payload: unknown;
  payload_canonical: string;
  signature: string;
  key_id: string;
  status: 'valid' | 'revoked';
  issued_at: CreatedAt;
  revoked_at: Date | null;
  revoke_reason: string | null;
}

export interface CertificateNoSeqTable {
  service_point_code: string;
  year: number;
  last_no: number;
}

export interface NotificationTable {
  id: Generated<string>;
  resident_id: string;
  application_id: string | null;
  kind: string;
  title: string;
  body: string;
  created_at: CreatedAt;
  read_at: Date | null;
}

export interface OutboxTable {
  id: Generated<number>;
  topic: string;
  ordering_key: string | null;
  application_id: string | null;
  payload: unknown;
  status: Generated<'pending' | 'sent' | 'dead'>;
  attempts: Generated<number>;
  next_attempt_at: Generated<Date>;
  last_error: string | null;
  created_at: CreatedAt;
  sent_at: Date | null;
  message_id: Generated<string>;
  target_id: string | null;
  replayed_at: Date | null;
}

export interface RatingTable {
  application_id: string;
  resident_id: string;
  grade: number;
  comment: string | null;
  created_at: CreatedAt;
}

export interface FollowUpTable {
  id: Generated<string>;
  application_id: string;
  service_point_id: string;
  due_date: string;
  status: Generated<'open' | 'done'>;
  note: string | null;
  created_at: CreatedAt;
  closed_at: Date | null;
  closed_by: string | null;
}

export interface DepartmentSystemTable {
  id: Generated<string>;
  code: string;
  system_key: string;
  name: string;
  department: string;
  base_url: string;
  client_id: string;
  auth_kind: 'hmac' | 'ed25519';
  secret_cipher: string | null;
  peer_public_key: string | null;
  platform_public_key: string | null;
  platform_key_cipher: string | null;
  items: Generated<string[]>;
  events: Generated<string[]>;
  timeout_ms: Generated<number>;
  service_point_id: string | null;
  active: Generated<boolean>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface WebhookSubscriptionTable {
  id: Generated<string>;
  name: string;
  url: string;
  secret_cipher: string;
  events: string[];
  region_code: string | null;
  active: Generated<boolean>;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface MessageLogTable {
  id: Generated<number>;
  direction: 'outbound' | 'inbound';
  channel: string;
  system_id: string | null;
  subscription_id: string | null;
  outbox_id: number | null;
  message_id: string | null;
  request_id: string | null;
  application_id: string | null;
  application_no: string | null;
  method: string | null;
  url: string;
  request_headers: unknown;
  request_body: unknown;
  request_sha256: string | null;
  status_code: number | null;
  response_headers: unknown;
  response_body: unknown;
  response_sha256: string | null;
  outcome: string;
  error: string | null;
  started_at: Date;
  duration_ms: number;
  created_at: CreatedAt;
}

export interface InboundNonceTable {
  system_id: string;
  nonce: string;
  expires_at: Date;
}

export interface InboundMessageTable {
  system_id: string;
  message_id: string;
  request_hash: string;
  status_code: number;
  response: unknown;
  created_at: CreatedAt;
}

export interface StatsMonthlyTable {
  month: string;
  region_code: string;
  item_code: string;
  channel: string;
  submitted: Generated<number>;
  accepted: Generated<number>;
  concluded: Generated<number>;
  approved: Generated<number>;
  denied: Generated<number>;
  refused: Generated<number>;
  withdrawn: Generated<number>;
  on_time: Generated<number>;
  late: Generated<number>;
  cross_region: Generated<number>;
  rating_1: Generated<number>;
  rating_2: Generated<number>;
  rating_3: Generated<number>;
  rating_4: Generated<number>;
  rating_5: Generated<number>;
}

export interface QueueGroupTable {
  id: Generated<string>;
  service_point_id: string;
  name: string;
  name_en: Generated<string>;
  prefix: string;
  priority_every: Generated<number>;
  normal_streak: Generated<number>;
  streak_day: string | null;
  active: Generated<boolean>;
  sort: Generated<number>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface QueueWindowTable {
  id: Generated<string>;
  service_point_id: string;
  name: string;
  group_ids: string[];
  active: Generated<boolean>;
  seated_user_id: string | null;
  seated_at: Date | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface QueueDaySeqTable {
  group_id: string;
  day: string;
  last_no: number;
}

export type QueueTicketStatus =
  | 'waiting'
  | 'called'
  | 'serving'
  | 'done'
  | 'no_show'
  | 'transferred';

export interface QueueTicketTable {
  id: Generated<string>;
  service_point_id: string;
  group_id: string;
  day: string;
  seq: number;
  number: string;
  priority: 'elderly' | 'disabled' | null;
  channel: 'kiosk' | 'desk';
  status: QueueTicketStatus;
  issued_at: Date;
  issued_by: string | null;
  called_at: Date | null;
  last_called_at: Date | null;
  call_count: Generated<number>;
  window_id: string | null;
  served_by: string | null;
  serving_started_at: Date | null;
  finished_at: Date | null;
  application_id: string | null;
  application_no: string | null;
  transferred_from: string | null;
  transferred_to: string | null;
  note: string | null;
  created_at: CreatedAt;
}

export interface QueueTicketEventTable {
  id: Generated<number>;
  ticket_id: string;
  service_point_id: string;
  day: string;
  event: string;
  from_status: string | null;
  to_status: string;
  number: string;
  group_name: string;
  group_name_en: Generated<string>;
  window_id: string | null;
  window_name: string | null;
  actor_user_id: string | null;
  actor_name: string | null;
  payload: unknown;
  request_id: string | null;
  occurred_at: Date;
}

export interface QueueStatsMonthlyTable {
  month: string;
  service_point_id: string;
  region_code: string;
  tickets: Generated<number>;
  served: Generated<number>;
  no_show: Generated<number>;
  wait_hist: number[];
  serve_hist: number[];
}

export interface SchemaMigrationTable {
  version: string;
  applied_at: ColumnType<Date, never, never>;
}

export interface DB {
  region: RegionTable;
  service_point: ServicePointTable;
  household: HouseholdTable;
  resident: ResidentTable;
  app_user: AppUserTable;
  user_role: UserRoleTable;
  user_session: UserSessionTable;
  sms_code: SmsCodeTable;
  sms_message: SmsMessageTable;
  audit_log: AuditLogTable;
  audit_chain_head: AuditChainHeadTable;
  catalog_item: CatalogItemTable;
  catalog_item_version: CatalogItemVersionTable;
  calendar_year: CalendarYearTable;
  calendar_day: CalendarDayTable;
  stored_file: StoredFileTable;
  application_no_seq: ApplicationNoSeqTable;
  application: ApplicationTable;
  application_action: ApplicationActionTable;
  application_material: ApplicationMaterialTable;
  idempotency_key: IdempotencyKeyTable;
  seal_key: SealKeyTable;
  certificate: CertificateTable;
  certificate_no_seq: CertificateNoSeqTable;
  notification: NotificationTable;
  outbox: OutboxTable;
  rating: RatingTable;
  follow_up: FollowUpTable;
  schema_migration: SchemaMigrationTable;
  department_system: DepartmentSystemTable;
  webhook_subscription: WebhookSubscriptionTable;
  message_log: MessageLogTable;
  inbound_nonce: InboundNonceTable;
  inbound_message: InboundMessageTable;
  queue_group: QueueGroupTable;
  queue_window: QueueWindowTable;
  queue_day_seq: QueueDaySeqTable;
  queue_ticket: QueueTicketTable;
  queue_ticket_event: QueueTicketEventTable;
  queue_stats_monthly: QueueStatsMonthlyTable;
}

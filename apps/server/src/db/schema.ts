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
  schema_migration: SchemaMigrationTable;
}

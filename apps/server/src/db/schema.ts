import type { ColumnType, Generated } from 'kysely';

/**
 * Row types of the tables the migrations create, kept by hand beside them: a migration
 * that adds a column adds it here in the same commit.
 */
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
  created_at: ColumnType<Date, never, never>;
}

export interface SchemaMigrationTable {
  version: string;
  applied_at: ColumnType<Date, never, never>;
}

export interface DB {
  region: RegionTable;
  service_point: ServicePointTable;
  schema_migration: SchemaMigrationTable;
}

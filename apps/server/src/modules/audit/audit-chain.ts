import { createHash } from 'node:crypto';

/** The hash a chain starts from: its first row's prev_hash. */
export const GENESIS_HASH = '0'.repeat(64);

/** JSON with object keys sorted at every depth, so jsonb's reordering cannot change a hash. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value instanceof Date) return value.toISOString();
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value as Record<string, unknown>)
        .sort()
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

export interface ChainedFields {
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
  outcome: string;
  prev_hash: string;
}

/** SHA-256 over every field of the row, in a fixed order, including the previous hash. */
export function hashAuditRow(row: ChainedFields): string {
  const material = canonicalJson([
    row.chain,
    Number(row.seq),
    new Date(row.occurred_at).toISOString(),
    row.actor_user_id,
    row.actor_name,
    row.actor_roles,
    row.actor_service_point,
    row.request_id,
    row.ip,
    row.action,
    row.target_type,
    row.target_id,
    row.region_code,
    row.before ?? null,
    row.after ?? null,
    row.outcome,
    row.prev_hash,
  ]);
  return createHash('sha256').update(material).digest('hex');
}

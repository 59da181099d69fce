import { createHash } from 'node:crypto';
import { canonicalJson } from '../../canonical-json.ts';

/** The hash a chain starts from: its first row's prev_hash. */
export const GENESIS_HASH = '0'.repeat(64);

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

import type { AuditLogItem } from '@yimen/core';
import type { AuditRow } from './audit.repo.ts';

/** One row of the trail as `GET /api/v1/audit` shows it. */
export function presentAuditRow(row: AuditRow): AuditLogItem {
  return {
    id: Number(row.id),
    chain: row.chain,
    seq: Number(row.seq),
    occurredAt: new Date(row.occurred_at).toISOString(),
    actor: {
      userId: row.actor_user_id,
      name: row.actor_name,
      roles: row.actor_roles,
      servicePoint: row.actor_service_point,
    },
    requestId: row.request_id,
    ip: row.ip,
    action: row.action,
    target: { type: row.target_type, id: row.target_id },
    regionCode: row.region_code,
    before: row.before ?? null,
    after: row.after ?? null,
    outcome: row.outcome,
    hash: row.hash,
  };
}

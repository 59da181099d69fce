import { randomUUID } from 'node:crypto';
import {
  type ActionName,
  type ApplicationStatus,
  type CaseEvent,
  type IntegrationEvent,
  TERMINAL_STATUSES,
} from '@yimen/core';
import { sql } from 'kysely';
import type { AppContext } from '../../app-context.ts';
import type { Db } from '../../db/connection.ts';
import type { ApplicationRow } from '../applications/applications.repo.ts';
import { enqueueDepartmentCall } from './department-step.ts';

type EventCase = Pick<
  ApplicationRow,
  | 'id'
  | 'application_no'
  | 'item_id'
  | 'item_code'
  | 'item_name'
  | 'item_version'
  | 'deciding_region'
>;

/** The NATS subject of an event: yimen.<the deciding unit's region code>.<event>. */
export function natsSubject(regionCode: string, event: IntegrationEvent): string {
  return `yimen.${regionCode}.${event}`;
}

/**
 * Writes, in the caller's transaction, one outbox row per receiver of a case event: each
 * webhook subscription and each connector that subscribes to it, and NATS JetStream when
 * configured. Each row has its own message id (the event id receivers deduplicate on) and
 * its own per-receiver, per-case ordering key.
 */
export async function emitEvent(
  ctx: AppContext,
  trx: Db,
  event: IntegrationEvent,
  app: EventCase,
  status: ApplicationStatus,
  action: string | null,
  data?: Record<string, unknown>,
): Promise<void> {
  const body = (eventId: string): CaseEvent => ({
    eventId,
    event,
    occurredAt: new Date().toISOString(),
    application: {
      id: app.id,
      applicationNo: app.application_no,
      itemCode: app.item_code,
      itemName: app.item_name,
      status,
      regionCode: app.deciding_region,
    },
    action,
    ...(data ? { data } : {}),
  });
  // Webhook subscriptions and department systems that take this event, in one round trip.
  const targets = await sql<{ id: string; kind: 'subscription' | 'system' }>`
    SELECT w.id, 'subscription' AS kind FROM webhook_subscription w
    WHERE w.active AND ${event} = ANY(w.events)
      AND (w.region_code IS NULL OR ${app.deciding_region} LIKE w.region_code || '%')
    UNION ALL
    SELECT s.id, 'system' AS kind FROM department_system s
    WHERE s.active AND ${event} = ANY(s.events)
      AND (${app.item_code} = ANY(s.items) OR (cardinality(s.items) = 0 AND s.system_key = (
        SELECT v.content->'routing'->>'departmentSystem' FROM catalog_item_version v
        WHERE v.item_id = ${app.item_id} AND v.version = ${app.item_version})))`.execute(trx);
  const rows = [
    ...targets.rows.map((t) => ({ topic: 'webhook', target: t.id, kind: t.kind })),
    ...(ctx.config.integrations.natsUrl ? [{ topic: 'nats', target: null, kind: 'nats' }] : []),
  ];
  if (rows.length === 0) return;
  await trx
    .insertInto('outbox')
    .values(
      rows.map((r) => {
        const messageId = randomUUID();
        return {
          message_id: messageId,
          topic: r.topic,
          target_id: r.target,
          ordering_key: `${r.kind}:${r.target ?? ''}:${app.id}`,
          application_id: app.id,
          payload: JSON.stringify({
            kind: r.kind,
            ...(r.kind === 'nats' ? { subject: natsSubject(app.deciding_region, event) } : {}),
            event: body(messageId),
          }),
        };
      }),
    )
    .execute();
}

/** Which events a workflow step raises. */
export function eventsOf(action: ActionName, to: ApplicationStatus): IntegrationEvent[] {
  const out: IntegrationEvent[] = [];
  if (action === 'accept') out.push('accepted');
  if (['approve', 'deny', 'departmentReject', 'departmentResult'].includes(action))
    out.push('decided');
  if (action === 'issue' || action === 'departmentResult') out.push('issued');
  if (TERMINAL_STATUSES.has(to)) out.push('concluded');
  return out;
}

/**
 * What the hub does after a workflow step, in the step's transaction: a case that has just
 * come to the department (accepted, or back from a correction) is sent there, and the step's
 * events go out to their subscribers.
 */
export async function afterCaseStep(
  ctx: AppContext,
  trx: Db,
  app: ApplicationRow,
  step: { action: ActionName; to: ApplicationStatus; departmentSystemId: string | null },
): Promise<void> {
  if (step.to === 'with_department' && app.status !== 'with_department' && step.departmentSystemId)
    await enqueueDepartmentCall(
      trx,
      app.id,
      step.departmentSystemId,
      step.action === 'accept' ? 'accepted' : 'resubmitted',
    );
  for (const event of eventsOf(step.action, step.to))
    await emitEvent(ctx, trx, event, app, step.to, step.action);
}

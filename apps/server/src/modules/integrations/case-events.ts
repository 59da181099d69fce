import type { CaseStepped, IntegrationEvent } from '@yimen/core';
import type { AppContext } from '../../app-context.ts';
import type { CaseSubscriber } from '../../facts.ts';
import type { DepartmentPort } from '../../ports.ts';
import { enqueue } from '../outbox/outbox.repo.ts';
import { systemForItem } from './systems.repo.ts';
import { eventReceivers } from './webhooks.repo.ts';

/** The NATS subject of an event: yimen.<the deciding unit's region code>.<event>. */
export function natsSubject(regionCode: string, event: IntegrationEvent): string {
  return `yimen.${regionCode}.${event}`;
}

/**
 * The hub's part in every case step, in the step's transaction: a case that has just come to
 * its department (accepted, or back from a correction) is sent there, and the step's events
 * go to each receiver — every webhook subscription and connector that takes them, and NATS
 * JetStream when configured — one outbox message each, with its own message id (the event
 * id receivers deduplicate on) and its own per-receiver, per-case order.
 */
export function hubOnCaseStep(ctx: AppContext): CaseSubscriber {
  return async (trx, fact) => {
    if (fact.toDepartment)
      await enqueue(trx, {
        topic: 'department',
        applicationId: fact.case.id,
        systemId: fact.toDepartment.systemId,
        reason: fact.toDepartment.reason,
      });
    for (const event of fact.events) {
      const body = eventBody(fact, event);
      const receivers = await eventReceivers(trx, event, {
        decidingRegion: fact.case.decidingRegion,
        itemCode: fact.case.itemCode,
        systemKey: fact.departmentSystemKey,
      });
      await enqueue(
        trx,
        ...receivers.map((r) => ({ topic: 'webhook' as const, receiver: r, event: body })),
        ...(ctx.config.integrations.natsUrl
          ? [
              {
                topic: 'nats' as const,
                subject: natsSubject(fact.case.decidingRegion, event),
                event: body,
              },
            ]
          : []),
      );
    }
  };
}

function eventBody(fact: CaseStepped, event: IntegrationEvent) {
  return {
    event,
    occurredAt: new Date().toISOString(),
    application: {
      id: fact.case.id,
      applicationNo: fact.case.applicationNo,
      itemCode: fact.case.itemCode,
      itemName: fact.case.itemName,
      status: fact.to,
      regionCode: fact.case.decidingRegion,
    },
    // A rating is no workflow action.
    action: fact.step === 'rate' ? null : fact.step,
    ...(fact.eventData ? { data: fact.eventData } : {}),
  };
}

/** The hub's side of the department port (ports.ts): which connector takes an item. */
export const departmentPort: DepartmentPort = {
  async systemFor(db, systemKey, itemCode) {
    const row = await systemForItem(db, systemKey, itemCode);
    return row ? { id: row.id, code: row.code } : undefined;
  },
};

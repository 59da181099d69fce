import type { IntegrationEvent } from '../schemas/integrations.ts';
import type { ActionName, ApplicationStatus } from '../workflow/workflow.ts';

/** The month counters a case step moves (stats_monthly's columns). */
export const CASE_COUNTERS = [
  'submitted',
  'accepted',
  'concluded',
  'approved',
  'denied',
  'refused',
  'withdrawn',
  'on_time',
  'late',
  'cross_region',
  'rating_1',
  'rating_2',
  'rating_3',
  'rating_4',
  'rating_5',
] as const;
export type CaseCounter = (typeof CASE_COUNTERS)[number];

/**
 * What the case module announces, inside the step's transaction, each time a case moves: it
 * was submitted, took a workflow action, or was rated. Other modules subscribe (the
 * integration hub sends the events and the department call, the figures add the counters)
 * without the case module knowing them, and write their rows in the same transaction.
 */
export interface CaseStepped {
  step: ActionName | 'submit' | 'rate';
  case: {
    id: string;
    applicationNo: string;
    itemId: string;
    itemCode: string;
    itemName: string;
    itemVersion: number;
    channel: string;
    /** The receiving point's region: where the month's figures are counted. */
    receivedRegion: string;
    /** The deciding unit's region: where events are addressed. */
    decidingRegion: string;
  };
  from: ApplicationStatus | null;
  to: ApplicationStatus;
  /** The events this step raises for webhooks, connectors and NATS. */
  events: readonly IntegrationEvent[];
  /** Extra facts an event carries (a rating's grade). */
  eventData?: Record<string, unknown>;
  /** What the step adds to the month's figures. */
  counters: Partial<Record<CaseCounter, number>>;
  /** The department system kind the item routes to (its routing), if any. */
  departmentSystemKey: string | null;
  /** Set when the step hands the case to a department system, which must now be called. */
  toDepartment: { systemId: string; reason: 'accepted' | 'resubmitted' } | null;
}

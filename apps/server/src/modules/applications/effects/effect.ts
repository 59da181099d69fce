import type {
  ApplicationActionInput,
  ApplicationStatus,
  CaseCounter,
  IntegrationEvent,
  ItemContent,
} from '@yimen/core';
import type { AppContext } from '../../../app-context.ts';
import type { Db } from '../../../db/connection.ts';
import type { NoticeFacts } from '../../notifications/notifications.service.ts';
import type { StepActor } from '../actions.service.ts';
import type { ApplicationPatch, ApplicationRow } from '../applications.repo.ts';

/** What an action's effect works with: the case as it was, the step being taken. */
export interface Step {
  ctx: AppContext;
  trx: Db;
  actor: StepActor;
  /** The case before the step, locked. */
  app: ApplicationRow;
  /** The item version the case was filed under. */
  content: ItemContent;
  body: ApplicationActionInput;
  /** Accept only: the connected department system the item goes to, if any. */
  department: { id: string; code: string } | undefined;
}

/** What an effect adds to the step: columns beyond state and clock, log facts, notice facts. */
export interface Outcome {
  patch?: ApplicationPatch;
  /** Facts for the case's log entry and the audit row (reasons, the certificate's number…). */
  payload?: Record<string, unknown>;
  /** Facts for the applicant's notice (what is missing, where to collect the result). */
  notice?: Partial<NoticeFacts>;
}

/** The case after the step, as the month's figures see it. */
export interface Counted {
  app: Pick<ApplicationRow, 'cross_region' | 'promised_days'>;
  to: ApplicationStatus;
  workingDaysUsed: number;
}

/**
 * What one workflow action does beyond moving the state (the workflow table in core says
 * where it may go, who may take it, its clock and notice): its own checks and column
 * changes, the events it raises, the month counters it moves. `EFFECTS` holds one for every
 * action, so the compiler sees that none is forgotten.
 */
export interface Effect {
  apply?: (s: Step) => Outcome | Promise<Outcome>;
  /** Events it raises; a step into a final state raises `concluded` as well. */
  events?: readonly IntegrationEvent[];
  counters?: (c: Counted) => Partial<Record<CaseCounter, number>>;
}

/** The counter of a concluded case's promise: kept (on time) or not. */
export const onTime = (c: Counted) =>
  c.workingDaysUsed <= c.app.promised_days ? { on_time: 1 } : { late: 1 };

/** Concluding now. */
export const concludedNow = (extra: ApplicationPatch = {}): ApplicationPatch => ({
  concluded_at: new Date(),
  ...extra,
});

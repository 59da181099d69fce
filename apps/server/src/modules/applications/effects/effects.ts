import {
  type ActionName,
  type ApplicationStatus,
  type CaseCounter,
  type IntegrationEvent,
  TERMINAL_STATUSES,
} from '@yimen/core';
import { ACCEPT_EFFECTS } from './accept.effects.ts';
import { CORRECT_EFFECTS } from './correct.effects.ts';
import { DECIDE_EFFECTS } from './decide.effects.ts';
import { DELIVER_EFFECTS } from './deliver.effects.ts';
import type { Counted, Effect } from './effect.ts';

/**
 * Every workflow action's effect, beside the workflow table (packages/core's WORKFLOW): a
 * new action that is not given one here does not compile.
 */
export const EFFECTS: Record<ActionName, Effect> = {
  ...ACCEPT_EFFECTS,
  ...CORRECT_EFFECTS,
  ...DECIDE_EFFECTS,
  ...DELIVER_EFFECTS,
};

/** The events a step raises: its action's, and `concluded` when it ends the case. */
export function eventsOf(action: ActionName, to: ApplicationStatus): IntegrationEvent[] {
  const events = [...(EFFECTS[action].events ?? [])];
  if (TERMINAL_STATUSES.has(to)) events.push('concluded');
  return events;
}

/** What a step adds to the month's figures. */
export function countersOf(action: ActionName, c: Counted): Partial<Record<CaseCounter, number>> {
  return EFFECTS[action].counters?.(c) ?? {};
}

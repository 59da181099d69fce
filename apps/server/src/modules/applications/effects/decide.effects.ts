import type { ActionName } from '@yimen/core';
import { concludedNow, type Effect, onTime } from './effect.ts';

/** 不予许可, by the deciding unit or by the department: reasons and legal basis, recorded and told. */
const deny: Effect = {
  apply: ({ body }) => ({
    patch: concludedNow({ decision: 'denied', outcome: 'denied' }),
    payload: { reasons: body.reasons, legalBasis: body.legalBasis },
    notice: {
      detail: body.legalBasis ? `${body.reasons}（依据：${body.legalBasis}）` : body.reasons!,
    },
  }),
  events: ['decided'],
  counters: (c) => ({ denied: 1, concluded: 1, ...onTime(c) }),
};

/** 审查 and 决定: the review, the decision, and the department's answers on its way there. */
export const DECIDE_EFFECTS = {
  review: {},
  approve: { apply: () => ({ patch: { decision: 'approved' } }), events: ['decided'] },
  deny,
  departmentAccept: {},
  departmentLater: {},
  departmentReject: deny,
} satisfies Partial<Record<ActionName, Effect>>;

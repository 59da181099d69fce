import type { ActionName } from '@yimen/core';
import { AppError } from '../../../errors.ts';
import * as repo from '../applications.repo.ts';
import { concludedNow, type Effect } from './effect.ts';

/** 受理 and what may happen before it: pre-review, acceptance, refusal, withdrawal. */
export const ACCEPT_EFFECTS = {
  preReview: {},
  accept: {
    async apply({ trx, app, content, department }) {
      const attached = new Set((await repo.listMaterials(trx, app.id)).map((m) => m.material_key));
      const missing = content.materials
        .filter((m) => m.requirement === 'required' && !attached.has(m.key))
        .map((m) => m.key);
      if (missing.length) throw new AppError('MATERIALS_MISSING', { keys: missing.join(', ') });
      return {
        patch: {
          accepted_at: new Date(),
          ...(department ? { department_system_id: department.id } : {}),
        },
        payload: department ? { department: department.code } : {},
      };
    },
    events: ['accepted'],
    counters: () => ({ accepted: 1 }),
  },
  refuse: {
    apply: ({ body }) => ({
      patch: concludedNow({ outcome: 'refused' }),
      payload: { reasons: body.reasons },
      notice: { detail: body.reasons! },
    }),
    counters: () => ({ refused: 1, concluded: 1 }),
  },
  withdraw: {
    apply: () => ({ patch: concludedNow({ outcome: 'withdrawn' }) }),
    counters: () => ({ withdrawn: 1, concluded: 1 }),
  },
} satisfies Partial<Record<ActionName, Effect>>;

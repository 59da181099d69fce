import { type ActionName, maskIdNumber, STATUS_LABELS } from '@yimen/core';
import { AppError } from '../../../errors.ts';
import * as repo from '../applications.repo.ts';
import { issueResult } from '../results.ts';
import { unitById } from '../units.repo.ts';
import { concludedNow, type Effect, onTime, type Step } from './effect.ts';

/** Where the applicant collects the result, for the notice that it is ready. */
async function pickupAt({ trx, app }: Step) {
  const deliver = await unitById(trx, app.deliver_sp_id);
  return deliver ? { pickupAt: deliver.name } : {};
}

/** The result reaches the applicant: the case concludes, approved, by this way. */
const delivered = (method: 'counter' | 'mail' | 'download') =>
  concludedNow({ outcome: 'approved', delivery_method: method });
const approvedAndConcluded: Effect['counters'] = (c) => ({
  approved: 1,
  concluded: 1,
  ...onTime(c),
});

/** 制证 and 送达: the result is issued under the seal, then handed over, mailed or downloaded. */
export const DELIVER_EFFECTS = {
  issue: {
    apply: async (s) => ({
      payload: await issueResult(s.ctx, s.trx, s.app, s.content),
      notice: await pickupAt(s),
    }),
    events: ['issued'],
  },
  // A department's result comes with its certificate already issued by the hub.
  departmentResult: {
    apply: async (s) => ({ patch: { decision: 'approved' }, notice: await pickupAt(s) }),
    events: ['decided', 'issued'],
  },
  handOver: {
    async apply({ ctx, trx, app, body }) {
      const r = body.recipient!;
      if (r.relation === 'self') {
        const holder = await repo.holderOf(trx, app.applicant_id);
        if (ctx.keys.personalData.lookupHash(r.idNumber) !== holder.id_number_hmac)
          throw new AppError('RECIPIENT_MISMATCH');
      }
      return {
        patch: delivered('counter'),
        payload: {
          recipient: {
            name: r.name,
            idNumberMasked: maskIdNumber(r.idNumber),
            relation: r.relation,
            checked: r.relation === 'self',
          },
        },
      };
    },
    counters: approvedAndConcluded,
  },
  mail: {
    apply: ({ body }) => ({ patch: delivered('mail'), payload: { trackingNo: body.trackingNo } }),
    counters: approvedAndConcluded,
  },
  download: {
    async apply({ trx, app }) {
      if (!(await repo.certificateNoOf(trx, app.id)))
        throw new AppError('ACTION_NOT_ALLOWED', {
          action: 'download',
          status: STATUS_LABELS[app.status].zh,
          allowed: 'handOver, mail',
        });
      return { patch: delivered('download') };
    },
    counters: approvedAndConcluded,
  },
} satisfies Partial<Record<ActionName, Effect>>;

import type { ActionName } from '@yimen/core';
import { userIdOf } from '../actions.service.ts';
import * as repo from '../applications.repo.ts';
import { checkFormData } from '../form-data.ts';
import { checkMaterials } from '../submit.service.ts';
import type { Effect } from './effect.ts';

/** 一次性告知: everything missing, in the log and in the applicant's notice. */
const requestCorrection: Effect = {
  apply: ({ body }) => ({
    payload: { missing: body.missing },
    notice: { detail: body.missing!.map((m) => m.item).join('；') },
  }),
};

/** 补正 and 特别程序: the steps that stop the clock, and those that start it again. */
export const CORRECT_EFFECTS = {
  requestCorrection,
  departmentRequestCorrection: requestCorrection,
  resubmit: {
    async apply({ ctx, trx, actor, app, content, body }) {
      const patch: { form_data?: string; form_sealed?: string | null } = {};
      const payload: Record<string, unknown> = {};
      if (body.formData) {
        const f = checkFormData(content, body.formData, ctx.keys.personalData);
        patch.form_data = JSON.stringify(f.formData);
        patch.form_sealed = f.sealed ? JSON.stringify(f.sealed) : null;
      }
      if (body.materials?.length) {
        await checkMaterials(trx, content, body.materials);
        await repo.addMaterials(trx, app.id, userIdOf(actor), body.materials);
        payload.materials = body.materials.map((m) => m.key);
      }
      return { patch, payload };
    },
  },
  suspend: {
    apply: ({ body }) => ({
      payload: { procedure: body.procedure, reasons: body.reasons },
      notice: { detail: body.reasons! },
    }),
  },
  resume: {},
} satisfies Partial<Record<ActionName, Effect>>;

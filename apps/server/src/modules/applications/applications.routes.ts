import {
  type ActionName,
  applicationActionBody,
  applicationActionParams,
  applicationDetailSchema,
  applicationPageSchema,
  errorResponses,
  idParams,
  limitParam,
  proxyConsentSentSchema,
  ratingBody,
  submitApplicationBody,
  worklistQuery,
} from '@yimen/core';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import { requireActor, requireStaffActor } from '../../auth/auth-hooks.ts';
import { userKey, write } from '../../http/write.ts';
import { databaseSmsProvider } from '../accounts/sms.ts';
import { performAction } from './actions.service.ts';
import {
  getApplication,
  myApplications,
  visibilityCheck,
  worklist,
} from './applications.query.service.ts';
import { sendConsentCode } from './consent.service.ts';
import { renderCorrectionNotice } from './correction-notice.ts';
import { closeFollowUp, listFollowUps, rateApplication } from './ratings.service.ts';
import { consentForSubmission, submitApplication } from './submit.service.ts';

const errors = errorResponses(400, 401, 403, 404, 409, 422);
const tags = ['applications'];
const idempotencyHeader = z
  .object({
    'idempotency-key': z.string().describe('8–100 characters; a retry sends the same key'),
  })
  .loose();

export function applicationsRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const { db } = ctx.database;
  return async (app) => {
    const sms = databaseSmsProvider({ demo: ctx.config.demo, log: app.log });

    app.post(
      '/api/v1/applications',
      {
        schema: {
          tags,
          summary:
            '提交申请（网上、窗口、代办） / Submit an application: online, at the counter, or by proxy',
          headers: idempotencyHeader,
          body: submitApplicationBody,
          response: { 201: applicationDetailSchema, ...errors },
        },
      },
      async (req, reply) => {
        const actor = requireActor(req);
        const once = userKey(req, { op: 'submit', body: req.body });
        // Checked before the case's transaction: a wrong code counts even though it fails.
        const consent = await consentForSubmission(ctx, actor, req.body, once);
        return write(ctx, req, reply, { status: 201, once }, async (trx) => {
          const { id } = await submitApplication(ctx, trx, actor, req.meta, req.body, consent);
          return getApplication(trx, actor, id, req.lang);
        });
      },
    );

    app.post(
      '/api/v1/applications/:id/actions/:action',
      {
        schema: {
          tags,
          summary: '办件操作：受理、补正、审查、准予、制证、送达… / Take a workflow action',
          headers: idempotencyHeader,
          params: applicationActionParams,
          body: applicationActionBody,
          response: { 200: applicationDetailSchema, ...errors },
        },
      },
      async (req, reply) => {
        const actor = requireActor(req);
        const { id, action } = req.params;
        const once = userKey(req, { op: action, id, body: req.body });
        return write(ctx, req, reply, { once }, async (trx) => {
          await performAction(ctx, trx, {
            actor,
            meta: req.meta,
            id,
            action: action as ActionName,
            body: req.body,
            canSee: visibilityCheck(trx, actor),
          });
          return getApplication(trx, actor, id, req.lang);
        });
      },
    );

    app.get(
      '/api/v1/applications/:id',
      {
        schema: {
          tags,
          summary: '办件详情与时间线 / A case with its timeline and what one may do',
          params: idParams,
          response: { 200: applicationDetailSchema, ...errors },
        },
      },
      (req) => getApplication(db, requireActor(req), req.params.id, req.lang),
    );

    app.get(
      '/api/v1/applications/:id/correction-notice',
      {
        schema: {
          tags,
          summary: '一次性告知书（可打印） / The one-time correction notice, printable',
          params: idParams,
        },
      },
      async (req, reply) => {
        const detail = await getApplication(db, requireActor(req), req.params.id, 'zh-CN');
        return reply.type('text/html; charset=utf-8').send(renderCorrectionNotice(detail));
      },
    );

    app.get(
      '/api/v1/worklist',
      {
        schema: {
          tags,
          summary: '工作台待办 / The service point’s worklist, box by box',
          querystring: worklistQuery,
          response: { 200: applicationPageSchema, ...errors },
        },
      },
      (req) => worklist(db, requireStaffActor(req), req.query, req.lang),
    );

    app.get(
      '/api/v1/me/applications',
      {
        schema: {
          tags,
          summary: '我的办件 / My applications',
          querystring: z.strictObject({ limit: limitParam }),
          response: { 200: applicationPageSchema, ...errors },
        },
      },
      (req) => myApplications(db, requireActor(req), req.query.limit, req.lang),
    );

    app.post(
      '/api/v1/applications/proxy-consent',
      {
        schema: {
          tags,
          summary: '发送代办授权验证码 / Send the villager a consent code for a proxy application',
          body: z.strictObject({ applicantId: z.uuid() }),
          response: { 202: proxyConsentSentSchema, ...errors },
        },
      },
      async (req, reply) => {
        const actor = requireStaffActor(req);
        return write(ctx, req, reply, { status: 202 }, (trx) =>
          sendConsentCode(ctx, trx, sms, actor, req.meta, req.body.applicantId),
        );
      },
    );

    app.post(
      '/api/v1/applications/:id/rating',
      {
        schema: {
          tags,
          summary: '好差评 / Rate a concluded case (once)',
          params: idParams,
          body: ratingBody,
          response: {
            201: z.object({
              grade: z.number(),
              label: z.string(),
              followUp: z.object({ id: z.string(), dueDate: z.string() }).nullable(),
            }),
            ...errors,
          },
        },
      },
      async (req, reply) => {
        const actor = requireActor(req);
        return write(ctx, req, reply, { status: 201 }, (trx) =>
          rateApplication(ctx, trx, actor, req.meta, req.params.id, req.body),
        );
      },
    );

    app.get(
      '/api/v1/follow-ups',
      {
        schema: {
          tags,
          summary: '回访任务 / Follow-ups of bad ratings for my service point',
          querystring: z.strictObject({ status: z.enum(['open', 'done']).default('open') }),
        },
      },
      (req) => listFollowUps(db, requireStaffActor(req), req.query.status),
    );

    app.post(
      '/api/v1/follow-ups/:id/close',
      {
        schema: {
          tags,
          summary: '完成回访 / Close a follow-up with a note',
          params: idParams,
          body: z.strictObject({ note: z.string().trim().min(1).max(2000) }),
          response: { 204: z.null(), ...errors },
        },
      },
      async (req, reply) => {
        const actor = requireStaffActor(req);
        return write(ctx, req, reply, { status: 204 }, (trx) =>
          closeFollowUp(trx, actor, req.meta, req.params.id, req.body.note),
        );
      },
    );
  };
}

import {
  type ActionName,
  applicationActionBody,
  applicationActionParams,
  applicationDetailSchema,
  applicationPageSchema,
  errorResponses,
  idParams,
  limitParam,
  ratingBody,
  submitApplicationBody,
  worklistQuery,
} from '@yimen/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import type { Actor } from '../../auth/actor.ts';
import { requireActor, requireStaffActor } from '../../auth/auth-hooks.ts';
import type { Db } from '../../db/connection.ts';
import { withLateWrites } from '../../db/late-writes.ts';
import { pickLang } from '../../errors.ts';
import { databaseSmsProvider } from '../accounts/sms.ts';
import { performAction } from './actions.service.ts';
import { checkConsent, sendConsentCode } from './consent.ts';
import { renderCorrectionNotice } from './correction-notice.ts';
import { idempotencyKeyOf, withIdempotency } from './idempotency.ts';
import { getApplication, myApplications, visibilityCheck, worklist } from './query.service.ts';
import { closeFollowUp, listFollowUps, rateApplication } from './ratings.service.ts';
import { submitApplication } from './submit.service.ts';

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

    /** One transaction: the idempotency key, the work, and the answer the client will get. */
    async function idempotent(
      req: FastifyRequest,
      reply: FastifyReply,
      actor: Actor,
      request: unknown,
      work: (trx: Db) => Promise<{ status: number; id: string }>,
    ) {
      const key = idempotencyKeyOf(req);
      const lang = pickLang(req.headers['accept-language']);
      // The step's hot-row writes (stats, audit) go last, after the answer is read and the
      // key's answer stored: see db/late-writes.ts.
      const result = await db.transaction().execute((trx) =>
        withLateWrites(trx, () =>
          withIdempotency(trx, actor, key, request, async () => {
            const done = await work(trx);
            return { status: done.status, body: await getApplication(trx, actor, done.id, lang) };
          }),
        ),
      );
      if (result.replayed) void reply.header('idempotent-replayed', 'true');
      return reply.status(result.status).send(result.body);
    }

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
        const key = idempotencyKeyOf(req);
        const seen = await db
          .selectFrom('idempotency_key')
          .select('key')
          .where('user_id', '=', actor.userId)
          .where('key', '=', key)
          .executeTakeFirst();
        const consent =
          req.body.channel === 'proxy' && !seen && req.body.applicantId
            ? await checkConsent(ctx, actor, req.body.applicantId, req.body.proxyConsent)
            : null;
        return idempotent(req, reply, actor, { op: 'submit', body: req.body }, async (trx) => ({
          status: 201,
          id: (await submitApplication(ctx, trx, actor, req.meta, req.body, consent)).id,
        }));
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
        return idempotent(req, reply, actor, { op: action, id, body: req.body }, async (trx) => {
          await performAction(
            ctx,
            trx,
            actor,
            req.meta,
            id,
            action as ActionName,
            req.body,
            await visibilityCheck(trx, actor),
          );
          return { status: 200, id };
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
      (req) =>
        getApplication(
          db,
          requireActor(req),
          req.params.id,
          pickLang(req.headers['accept-language']),
        ),
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
      (req) =>
        worklist(ctx, requireStaffActor(req), req.query, pickLang(req.headers['accept-language'])),
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
      (req) =>
        myApplications(
          ctx,
          requireActor(req),
          req.query.limit,
          pickLang(req.headers['accept-language']),
        ),
    );

    app.get(
      '/api/v1/me/notifications',
      {
        schema: {
          tags,
          summary: '我的消息 / My notices',
          querystring: z.strictObject({ limit: limitParam }),
        },
      },
      async (req) => {
        const actor = requireActor(req);
        if (!actor.residentId) return { items: [] };
        const rows = await db
          .selectFrom('notification')
          .select(['id', 'kind', 'title', 'body', 'application_id', 'created_at', 'read_at'])
          .where('resident_id', '=', actor.residentId)
          .orderBy('created_at', 'desc')
          .limit(req.query.limit)
          .execute();
        return {
          items: rows.map((r) => ({
            id: r.id,
            kind: r.kind,
            title: r.title,
            body: r.body,
            applicationId: r.application_id,
            createdAt: r.created_at.toISOString(),
            read: r.read_at !== null,
          })),
        };
      },
    );

    app.post(
      '/api/v1/applications/proxy-consent',
      {
        schema: {
          tags,
          summary: '发送代办授权验证码 / Send the villager a consent code for a proxy application',
          body: z.strictObject({ applicantId: z.uuid() }),
          response: {
            202: z.object({ mobileMasked: z.string(), expiresInSeconds: z.number() }),
            ...errors,
          },
        },
      },
      async (req, reply) =>
        reply
          .status(202)
          .send(
            await sendConsentCode(ctx, sms, requireStaffActor(req), req.meta, req.body.applicantId),
          ),
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
        const result = await db
          .transaction()
          .execute((trx) => rateApplication(ctx, trx, actor, req.meta, req.params.id, req.body));
        return reply.status(201).send(result);
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
      (req) => listFollowUps(ctx, requireStaffActor(req), req.query.status),
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
        await closeFollowUp(ctx, requireStaffActor(req), req.meta, req.params.id, req.body.note);
        return reply.status(204).send(null);
      },
    );
  };
}

import {
  departmentSystemCreateBody,
  departmentSystemPatchBody,
  departmentSystemSchema,
  errorResponses,
  idParams,
  messageLogEntrySchema,
  messageLogQuery,
  outboxListQuery,
  outboxPageSchema,
  webhookCreateBody,
  webhookPatchBody,
  webhookSchema,
} from '@yimen/core';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import { requireStaffActor } from '../../auth/auth-hooks.ts';
import { write } from '../../http/write.ts';
import { searchMessages } from './message-log.ts';
import { listOutbox, replayDeadLetter } from './outbox-admin.service.ts';
import {
  createSystem,
  getSystem,
  listSystems,
  requireIntegrationAdmin,
  updateSystem,
} from './systems.service.ts';
import { createWebhook, deleteWebhook, listWebhooks, updateWebhook } from './webhooks.service.ts';

const tags = ['integrations'];
const errors = errorResponses(400, 401, 403, 404, 409, 422);
const base = '/api/v1/integrations';

/** The administrators' side of the hub: connectors, subscriptions, backlog, message log. */
export function integrationsAdminRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      `${base}/systems`,
      {
        schema: {
          tags,
          summary: '部门系统接入列表 / Department connectors, with their backlog',
          response: { 200: z.object({ items: z.array(departmentSystemSchema) }), ...errors },
        },
      },
      (req) => listSystems(ctx.database.db, requireStaffActor(req)),
    );

    app.post(
      `${base}/systems`,
      {
        schema: {
          tags,
          summary: '接入部门系统 / Register a department system (secrets are write-only)',
          body: departmentSystemCreateBody,
          response: { 201: departmentSystemSchema, ...errors },
        },
      },
      async (req, reply) => {
        const actor = requireStaffActor(req);
        return write(ctx, req, reply, { status: 201 }, (trx) =>
          createSystem(ctx, trx, actor, req.meta, req.body),
        );
      },
    );

    app.get(
      `${base}/systems/:id`,
      {
        schema: {
          tags,
          summary: '部门系统接入详情 / One connector',
          params: idParams,
          response: { 200: departmentSystemSchema, ...errors },
        },
      },
      (req) => {
        requireIntegrationAdmin(requireStaffActor(req));
        return getSystem(ctx.database.db, req.params.id);
      },
    );

    app.patch(
      `${base}/systems/:id`,
      {
        schema: {
          tags,
          summary: '修改、停用或轮换密钥 / Change, disable, or rotate credentials',
          params: idParams,
          body: departmentSystemPatchBody,
          response: { 200: departmentSystemSchema, ...errors },
        },
      },
      async (req, reply) => {
        const actor = requireStaffActor(req);
        return write(ctx, req, reply, {}, (trx) =>
          updateSystem(ctx, trx, actor, req.meta, req.params.id, req.body),
        );
      },
    );

    app.get(
      `${base}/outbox`,
      {
        schema: {
          tags,
          summary: '待发、失败与死信 / Backlog, failures and dead letters',
          querystring: outboxListQuery,
          response: { 200: outboxPageSchema, ...errors },
        },
      },
      (req) => listOutbox(ctx, requireStaffActor(req), req.query),
    );

    app.post(
      `${base}/outbox/:id/replay`,
      {
        schema: {
          tags,
          summary: '重发死信 / Replay a dead letter (audited)',
          params: z.strictObject({ id: z.coerce.number().int().min(1) }),
          response: {
            200: z.object({ id: z.number(), status: z.literal('pending'), messageId: z.string() }),
            ...errors,
          },
        },
      },
      async (req, reply) => {
        const actor = requireStaffActor(req);
        return write(ctx, req, reply, {}, (trx) =>
          replayDeadLetter(trx, actor, req.meta, req.params.id),
        );
      },
    );

    app.get(
      `${base}/messages`,
      {
        schema: {
          tags,
          summary: '消息日志（按办件编号） / The message log of one case',
          querystring: messageLogQuery,
          response: { 200: z.object({ items: z.array(messageLogEntrySchema) }), ...errors },
        },
      },
      (req) => searchMessages(ctx, requireStaffActor(req), req.query),
    );

    app.get(
      `${base}/webhooks`,
      {
        schema: {
          tags,
          summary: '事件订阅 / Webhook subscriptions',
          response: { 200: z.object({ items: z.array(webhookSchema) }), ...errors },
        },
      },
      (req) => listWebhooks(ctx.database.db, requireStaffActor(req)),
    );

    app.post(
      `${base}/webhooks`,
      {
        schema: {
          tags,
          summary: '新增事件订阅 / Subscribe a URL to case events',
          body: webhookCreateBody,
          response: { 201: webhookSchema, ...errors },
        },
      },
      async (req, reply) => {
        const actor = requireStaffActor(req);
        return write(ctx, req, reply, { status: 201 }, (trx) =>
          createWebhook(ctx, trx, actor, req.meta, req.body),
        );
      },
    );

    app.patch(
      `${base}/webhooks/:id`,
      {
        schema: {
          tags,
          summary: '修改事件订阅 / Change a subscription',
          params: idParams,
          body: webhookPatchBody,
          response: { 200: webhookSchema, ...errors },
        },
      },
      async (req, reply) => {
        const actor = requireStaffActor(req);
        return write(ctx, req, reply, {}, (trx) =>
          updateWebhook(ctx, trx, actor, req.meta, req.params.id, req.body),
        );
      },
    );

    app.delete(
      `${base}/webhooks/:id`,
      {
        schema: {
          tags,
          summary: '删除事件订阅 / Delete a subscription',
          params: idParams,
          response: { 204: z.null(), ...errors },
        },
      },
      async (req, reply) => {
        const actor = requireStaffActor(req);
        return write(ctx, req, reply, { status: 204 }, (trx) =>
          deleteWebhook(trx, actor, req.meta, req.params.id),
        );
      },
    );
  };
}

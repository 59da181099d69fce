import {
  createQueueGroupBody,
  createQueueWindowBody,
  emptyBody,
  errorResponses,
  hallIdParams,
  hallMeSchema,
  hallServicePointParams,
  hallServicePointSchema,
  queueGroupSchema,
  queueWindowSchema,
  sitBody,
  updateQueueGroupBody,
  updateQueueWindowBody,
} from '@yimen/core';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../app-context.ts';
import { requireStaffActor } from '../../auth/auth-hooks.ts';
import { write } from '../../http/write.ts';
import * as setup from './queue.setup.service.ts';

const tags = ['hall'];
const errors = errorResponses(400, 401, 403, 404, 409, 422);

/** The hall's setup (groups, windows) and who sits where: /hall/setup and the window picker. */
export function hallSetupRoutes(app: FastifyInstance, ctx: AppContext): void {
  const { db } = ctx.database;
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/v1/hall/me',
    {
      schema: {
        tags,
        summary: '我在大厅能做什么 / What I can do in the hall, and the window I sit at',
        response: { 200: hallMeSchema, ...errorResponses(401, 403) },
      },
    },
    (req) => setup.hallMe(db, requireStaffActor(req)),
  );

  r.get(
    '/api/v1/hall/service-points/:code',
    {
      schema: {
        tags,
        summary: '大厅设置：业务分组与窗口 / A hall’s service groups and windows',
        params: hallServicePointParams,
        response: { 200: hallServicePointSchema, ...errorResponses(401, 403, 404) },
      },
    },
    (req) => setup.pointView(db, requireStaffActor(req), req.params.code),
  );

  r.post(
    '/api/v1/hall/service-points/:code/groups',
    {
      schema: {
        tags,
        summary: '新建业务分组 / Create a service group',
        params: hallServicePointParams,
        body: createQueueGroupBody,
        response: { 201: queueGroupSchema, ...errors },
      },
    },
    async (req, reply) => {
      const actor = requireStaffActor(req);
      return write(ctx, req, reply, { status: 201 }, (trx) =>
        setup.createGroup(trx, actor, req.meta, req.params.code, req.body),
      );
    },
  );

  r.patch(
    '/api/v1/hall/groups/:id',
    {
      schema: {
        tags,
        summary: '修改、停用业务分组 / Rename, renumber or deactivate a group',
        params: hallIdParams,
        body: updateQueueGroupBody,
        response: { 200: queueGroupSchema, ...errors },
      },
    },
    async (req, reply) => {
      const actor = requireStaffActor(req);
      return write(ctx, req, reply, {}, (trx) =>
        setup.updateGroup(trx, actor, req.meta, req.params.id, req.body),
      );
    },
  );

  r.post(
    '/api/v1/hall/service-points/:code/windows',
    {
      schema: {
        tags,
        summary: '新建窗口 / Create a window and the groups it calls from',
        params: hallServicePointParams,
        body: createQueueWindowBody,
        response: { 201: queueWindowSchema, ...errors },
      },
    },
    async (req, reply) => {
      const actor = requireStaffActor(req);
      return write(ctx, req, reply, { status: 201 }, (trx) =>
        setup.createWindow(trx, actor, req.meta, req.params.code, req.body),
      );
    },
  );

  r.patch(
    '/api/v1/hall/windows/:id',
    {
      schema: {
        tags,
        summary: '修改、停用窗口 / Rename a window, change its groups, deactivate it',
        params: hallIdParams,
        body: updateQueueWindowBody,
        response: { 200: queueWindowSchema, ...errors },
      },
    },
    async (req, reply) => {
      const actor = requireStaffActor(req);
      return write(ctx, req, reply, {}, (trx) =>
        setup.updateWindow(trx, actor, req.meta, req.params.id, req.body),
      );
    },
  );

  r.post(
    '/api/v1/hall/windows/:id/sit',
    {
      schema: {
        tags,
        summary: '在窗口就座 / Sit at a window (the point’s own staff)',
        params: hallIdParams,
        body: sitBody,
        response: { 200: queueWindowSchema, ...errors },
      },
    },
    async (req, reply) => {
      const actor = requireStaffActor(req);
      const takeOver = req.body?.takeOver ?? false;
      return write(ctx, req, reply, {}, (trx) =>
        setup.sitAtWindow(trx, actor, req.meta, req.params.id, takeOver),
      );
    },
  );

  r.post(
    '/api/v1/hall/windows/:id/leave',
    {
      schema: {
        tags,
        summary: '离开窗口 / Leave the window',
        params: hallIdParams,
        body: emptyBody,
        response: { 200: queueWindowSchema, ...errors },
      },
    },
    async (req, reply) => {
      const actor = requireStaffActor(req);
      return write(ctx, req, reply, {}, (trx) =>
        setup.leaveWindow(trx, actor, req.meta, req.params.id),
      );
    },
  );
}

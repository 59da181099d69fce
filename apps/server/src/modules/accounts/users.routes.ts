import {
  createUserBody,
  errorResponses,
  idParams,
  resetPasswordBody,
  updateUserBody,
  userListQuery,
  userPageSchema,
  userSchema,
} from '@yimen/core';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import { requireStaffActor } from '../../auth/auth-hooks.ts';
import { write } from '../../http/write.ts';
import {
  checkNewUser,
  checkPasswordReset,
  createUser,
  getUser,
  listUsers,
  resetPassword,
  updateUser,
} from './users.service.ts';

const errors = errorResponses(400, 401, 403, 404, 409);

export function usersRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/v1/users',
      {
        schema: {
          tags: ['users'],
          summary: '辖区内工作人员 / Staff within one’s jurisdiction',
          querystring: userListQuery,
          response: { 200: userPageSchema, ...errors },
        },
      },
      (req) => listUsers(ctx, requireStaffActor(req), req.query),
    );
    app.post(
      '/api/v1/users',
      {
        schema: {
          tags: ['users'],
          summary: '新建工作人员账号 / Create a staff account',
          body: createUserBody,
          response: { 201: userSchema, ...errors },
        },
      },
      async (req, reply) => {
        const actor = requireStaffActor(req);
        // Checked and hashed before the unit of work: argon2 does not hold a transaction.
        const passwordHash = await checkNewUser(actor, req.body);
        return write(ctx, req, reply, { status: 201 }, (trx) =>
          createUser(trx, actor, req.meta, req.body, passwordHash),
        );
      },
    );
    app.get(
      '/api/v1/users/:id',
      {
        schema: {
          tags: ['users'],
          summary: '工作人员 / One staff account',
          params: idParams,
          response: { 200: userSchema, ...errors },
        },
      },
      (req) => getUser(ctx, requireStaffActor(req), req.params.id),
    );
    app.patch(
      '/api/v1/users/:id',
      {
        schema: {
          tags: ['users'],
          summary: '修改账号：角色、网点、停用 / Change roles, service point, or disable',
          params: idParams,
          body: updateUserBody,
          response: { 200: userSchema, ...errors },
        },
      },
      async (req, reply) => {
        const actor = requireStaffActor(req);
        return write(ctx, req, reply, {}, (trx) =>
          updateUser(trx, actor, req.meta, req.params.id, req.body),
        );
      },
    );
    app.post(
      '/api/v1/users/:id/password',
      {
        schema: {
          tags: ['users'],
          summary: '重置密码（注销其全部会话） / Reset a password, signing the user out everywhere',
          params: idParams,
          body: resetPasswordBody,
          response: { 204: z.null(), ...errors },
        },
      },
      async (req, reply) => {
        const actor = requireStaffActor(req);
        const { id } = req.params;
        const checked = await checkPasswordReset(ctx, actor, id, req.body.newPassword);
        return write(ctx, req, reply, { status: 204 }, (trx) =>
          resetPassword(trx, actor, req.meta, id, checked),
        );
      },
    );
  };
}

import {
  changePasswordBody,
  errorBodySchema,
  errorResponses,
  idParams,
  loginBody,
  loginResultSchema,
  meSchema,
  sessionSchema,
  smsCodeBody,
  smsCodeResultSchema,
  smsLoginBody,
} from '@yimen/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import { requireActor, requireStaffActor } from '../../auth/auth-hooks.ts';
import type { Db } from '../../db/connection.ts';
import { afterCommit } from '../../db/unit-of-work.ts';
import { write } from '../../http/write.ts';
import {
  changePassword,
  checkPasswordChange,
  checkSignInCode,
  checkSmsAllowance,
  checkStaffPassword,
  logout,
  type SignedIn,
  sendSignInCode,
  signInCitizen,
  signInStaff,
} from './auth.service.ts';
import { getMe, listMySessions, revokeMySession } from './me.service.ts';
import { CSRF_COOKIE, SESSION_COOKIE } from './sessions.ts';
import { databaseSmsProvider } from './sms.ts';

const errors = errorResponses(400, 401, 403, 429);

export function authRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const { db } = ctx.database;
  return async (app) => {
    const sms = databaseSmsProvider({ demo: ctx.config.demo, log: app.log });

    /**
     * One sign-in's unit of work. A web session's cookies are set once it has committed; a
     * bearer token goes in the body instead.
     */
    function signIn<R extends FastifyReply>(
      req: FastifyRequest,
      reply: R,
      open: (trx: Db) => Promise<SignedIn>,
    ) {
      return write(ctx, req, reply, {}, async (trx) => {
        const { actor, session } = await open(trx);
        const user = await getMe(trx, actor, req.lang);
        const expiresAt = session.expiresAt.toISOString();
        if (!session.csrfToken) return { user, expiresAt, token: session.token };
        const csrfToken = session.csrfToken;
        afterCommit(trx, () => {
          const base = {
            path: '/',
            sameSite: 'lax' as const,
            secure: req.protocol === 'https',
            expires: session.expiresAt,
          };
          void reply.setCookie(SESSION_COOKIE, session.token, { ...base, httpOnly: true });
          void reply.setCookie(CSRF_COOKIE, csrfToken, { ...base, httpOnly: false });
        });
        return { user, expiresAt, csrfToken };
      });
    }
    const signInRequest = (req: FastifyRequest, tokenType: 'cookie' | 'bearer') => ({
      tokenType,
      userAgent: req.headers['user-agent'] ?? null,
    });

    app.post(
      '/api/v1/auth/login',
      {
        schema: {
          tags: ['accounts'],
          summary: '工作人员登录 / Staff sign-in with username and password',
          body: loginBody,
          response: { 200: loginResultSchema, 423: errorBodySchema, ...errors },
        },
      },
      async (req, reply) => {
        // Outside the sign-in's unit: a wrong password counts even though the sign-in fails.
        const userId = await checkStaffPassword(ctx, req.body);
        return signIn(req, reply, (trx) =>
          signInStaff(ctx, trx, req.meta, userId, signInRequest(req, req.body.tokenType)),
        );
      },
    );

    app.post(
      '/api/v1/auth/sms-code',
      {
        schema: {
          tags: ['accounts'],
          summary: '发送短信验证码 / Send a citizen a sign-in code',
          body: smsCodeBody,
          response: { 202: smsCodeResultSchema, ...errors },
        },
      },
      async (req, reply) => {
        await checkSmsAllowance(ctx, req.meta, req.body.mobile);
        return write(ctx, req, reply, { status: 202 }, (trx) =>
          sendSignInCode(ctx, trx, sms, req.meta, req.body.mobile),
        );
      },
    );

    app.post(
      '/api/v1/auth/sms-login',
      {
        schema: {
          tags: ['accounts'],
          summary: '群众短信登录 / Citizen sign-in with the SMS code',
          body: smsLoginBody,
          response: { 200: loginResultSchema, ...errors },
        },
      },
      async (req, reply) => {
        // Outside the sign-in's unit: a wrong code counts as a try even though it fails.
        const codeId = await checkSignInCode(ctx, req.body);
        return signIn(req, reply, (trx) =>
          signInCitizen(ctx, trx, req.meta, codeId, {
            mobile: req.body.mobile,
            ...signInRequest(req, req.body.tokenType),
          }),
        );
      },
    );

    app.post(
      '/api/v1/auth/logout',
      {
        schema: {
          tags: ['accounts'],
          summary: '退出登录 / Sign out',
          response: { 204: z.null(), ...errors },
        },
      },
      async (req, reply) => {
        const actor = requireActor(req);
        return write(ctx, req, reply, { status: 204 }, async (trx) => {
          await logout(trx, actor, req.meta);
          afterCommit(trx, () => {
            void reply
              .clearCookie(SESSION_COOKIE, { path: '/' })
              .clearCookie(CSRF_COOKIE, { path: '/' });
          });
        });
      },
    );

    app.post(
      '/api/v1/auth/password',
      {
        schema: {
          tags: ['accounts'],
          summary: '修改密码 / Change one’s password (signs out one’s other sessions)',
          body: changePasswordBody,
          response: { 204: z.null(), ...errors },
        },
      },
      async (req, reply) => {
        const actor = requireStaffActor(req);
        // Checked and hashed before the unit of work: argon2 does not hold a transaction.
        const passwordHash = await checkPasswordChange(ctx, actor, req.body);
        return write(ctx, req, reply, { status: 204 }, (trx) =>
          changePassword(trx, actor, req.meta, passwordHash),
        );
      },
    );

    app.get(
      '/api/v1/me',
      {
        schema: {
          tags: ['accounts'],
          summary: '当前用户 / The signed-in user, roles, service point and region path',
          response: { 200: meSchema, ...errors },
        },
      },
      (req) => getMe(db, requireActor(req), req.lang),
    );

    app.get(
      '/api/v1/me/sessions',
      {
        schema: {
          tags: ['accounts'],
          summary: '我的登录会话 / My active sessions',
          response: { 200: z.object({ items: z.array(sessionSchema) }), ...errors },
        },
      },
      (req) => listMySessions(db, requireActor(req)),
    );

    app.delete(
      '/api/v1/me/sessions/:id',
      {
        schema: {
          tags: ['accounts'],
          summary: '注销一个会话 / Revoke one of my sessions',
          params: idParams,
          response: { 204: z.null(), 404: errorBodySchema, ...errors },
        },
      },
      async (req, reply) => {
        const actor = requireActor(req);
        return write(ctx, req, reply, { status: 204 }, (trx) =>
          revokeMySession(trx, actor, req.meta, req.params.id),
        );
      },
    );
  };
}

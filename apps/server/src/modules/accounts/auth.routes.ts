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
import { pickLang } from '../../errors.ts';
import { presentMe } from './accounts.presenter.ts';
import {
  changePassword,
  loginCitizen,
  loginStaff,
  logout,
  requestSmsCode,
  type SignedIn,
} from './auth.service.ts';
import { listMySessions, revokeMySession } from './me.service.ts';
import { CSRF_COOKIE, SESSION_COOKIE } from './sessions.ts';
import { databaseSmsProvider } from './sms.ts';

const errors = errorResponses(400, 401, 403, 429);

export function authRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const { db } = ctx.database;
  return async (app) => {
    const sms = databaseSmsProvider({ demo: ctx.config.demo, log: app.log });

    /** Sets the cookies for a web session; a bearer token goes in the body instead. */
    async function answerSignedIn(req: FastifyRequest, reply: FastifyReply, s: SignedIn) {
      const user = await presentMe(db, s.actor, pickLang(req.headers['accept-language']));
      if (s.session.csrfToken) {
        const base = {
          path: '/',
          sameSite: 'lax' as const,
          secure: req.protocol === 'https',
          expires: s.session.expiresAt,
        };
        void reply.setCookie(SESSION_COOKIE, s.session.token, { ...base, httpOnly: true });
        void reply.setCookie(CSRF_COOKIE, s.session.csrfToken, { ...base, httpOnly: false });
        return {
          user,
          expiresAt: s.session.expiresAt.toISOString(),
          csrfToken: s.session.csrfToken,
        };
      }
      return { user, expiresAt: s.session.expiresAt.toISOString(), token: s.session.token };
    }
    const userAgent = (req: FastifyRequest) => req.headers['user-agent'] ?? null;

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
      async (req, reply) =>
        answerSignedIn(
          req,
          reply,
          await loginStaff(ctx, req.meta, { ...req.body, userAgent: userAgent(req) }),
        ),
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
      async (req, reply) =>
        reply.status(202).send(await requestSmsCode(ctx, sms, req.meta, req.body.mobile)),
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
      async (req, reply) =>
        answerSignedIn(
          req,
          reply,
          await loginCitizen(ctx, req.meta, { ...req.body, userAgent: userAgent(req) }),
        ),
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
        await logout(ctx, requireActor(req), req.meta);
        void reply
          .clearCookie(SESSION_COOKIE, { path: '/' })
          .clearCookie(CSRF_COOKIE, { path: '/' });
        return reply.status(204).send(null);
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
        await changePassword(ctx, requireStaffActor(req), req.meta, req.body);
        return reply.status(204).send(null);
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
      (req) => presentMe(db, requireActor(req), pickLang(req.headers['accept-language'])),
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
      (req) => listMySessions(ctx, requireActor(req)),
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
        await revokeMySession(ctx, requireActor(req), req.meta, req.params.id);
        return reply.status(204).send(null);
      },
    );
  };
}

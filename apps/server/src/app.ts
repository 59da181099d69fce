import { randomUUID } from 'node:crypto';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { maskIdNumber, maskMobile } from '@yimen/core';
import Fastify, { type FastifyInstance } from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { AppContext } from './app-context.ts';
import { installAuth } from './auth/auth-hooks.ts';
import { type Lang, pickLang } from './errors.ts';
import { installErrorHandling } from './http/error-handler.ts';
import { webApp } from './http/web.ts';
import { authRoutes } from './modules/accounts/auth.routes.ts';
import { usersRoutes } from './modules/accounts/users.routes.ts';
import { applicationsRoutes } from './modules/applications/applications.routes.ts';
import { auditRoutes } from './modules/audit/audit.routes.ts';
import { calendarRoutes } from './modules/calendar/calendar.routes.ts';
import { catalogRoutes } from './modules/catalog/catalog.routes.ts';
import { certificatesRoutes } from './modules/certificates/certificates.routes.ts';
import { filesRoutes } from './modules/files/files.routes.ts';
import { healthRoutes } from './modules/health/health.routes.ts';
import { integrationsAdminRoutes } from './modules/integrations/admin.routes.ts';
import { inboundRoutes } from './modules/integrations/inbound.routes.ts';
import { notificationsRoutes } from './modules/notifications/notifications.routes.ts';
import { queueRoutes } from './modules/queue/queue.routes.ts';
import { regionsRoutes } from './modules/regions/regions.routes.ts';
import { residentsRoutes } from './modules/residents/residents.routes.ts';
import { servicePointsRoutes } from './modules/service-points/service-points.routes.ts';
import { statsRoutes } from './modules/stats/stats.routes.ts';
import { VERSION } from './version.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The language of the answer: zh-CN unless the client prefers English. */
    lang: Lang;
  }
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

export function maskQueryString(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const params = new URLSearchParams(url.slice(q + 1));
  for (const [key, value] of params) {
    if (/id_?number/i.test(key)) params.set(key, maskIdNumber(value));
    else if (/mobile|phone/i.test(key)) params.set(key, maskMobile(value));
  }
  return `${url.slice(0, q)}?${params.toString()}`;
}

export interface BuildAppOptions {
  /** false in tests that do not want request logs; a level otherwise. */
  logger?: boolean | { level: string };
  /** Where log lines go (tests capture them); stdout by default. */
  logStream?: NodeJS.WritableStream;
}

export async function buildApp(
  ctx: AppContext,
  opts: BuildAppOptions = {},
): Promise<FastifyInstance> {
  const app = Fastify({
    logger:
      opts.logger === false
        ? false
        : {
            level: ctx.config.logLevel,
            ...(opts.logStream ? { stream: opts.logStream } : {}),
            redact: [
              'req.headers.authorization',
              'req.headers.cookie',
              'req.headers["x-csrf-token"]',
            ],
            // Personal data never reaches a log line through a URL: ID numbers and mobiles in
            // query strings are masked (clients should POST lookups anyway).
            serializers: {
              req: (req: { method: string; url: string; ip?: string }) => ({
                method: req.method,
                url: maskQueryString(req.url),
                remoteAddress: req.ip,
              }),
            },
          },
    bodyLimit: ctx.config.bodyLimit,
    trustProxy: ctx.config.trustProxy,
    // A client's own request id is kept when it is sane, so a village agent's app and the
    // server's logs can be matched; otherwise we make one.
    requestIdHeader: false,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    ajv: undefined,
    return503OnClosing: true,
    // Requests too broken to route (raw bytes in the URL, a bad header) still get our
    // error shape rather than Node's bare "400 Bad Request".
    clientErrorHandler: (err, socket) => {
      if (!socket.writable) return;
      const body = JSON.stringify({
        error: {
          code: 'BAD_REQUEST',
          message: '请求格式错误 / Malformed HTTP request',
          requestId: randomUUID(),
        },
      });
      socket.end(
        `HTTP/1.1 400 Bad Request\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
      void err;
    },
  }).withTypeProvider<ZodTypeProvider>();

  // The API speaks JSON; a text/plain body is refused with 415 instead of being read as a
  // string that then fails validation with a confusing message.
  app.removeContentTypeParser('text/plain');
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandling(app, ctx);
  // The language is settled once per request: answers and errors follow Accept-Language.
  app.decorateRequest('lang', 'zh-CN');
  app.addHook('onRequest', async (req, reply) => {
    void reply.header('x-request-id', req.id);
    req.lang = pickLang(req.headers['accept-language']);
  });

  await app.register(helmet, {
    // swagger-ui and, later, the web app load their own scripts and styles from this origin.
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
      },
    },
  });

  await app.register(cookie);
  // Off by default: only the routes that name a limit in their config have one (the public
  // certificate check). Counted per client address in this process; behind a proxy that
  // address is the forwarded one only with YIMEN_TRUST_PROXY.
  await app.register(rateLimit, { global: false });
  installAuth(app, ctx);

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'yimen 一门 API',
        version: VERSION,
        description:
          '“一门式办理、一站式服务”平台的公开接口。Errors: `{ error: { code, message, fields?, requestId } }`; ' +
          'messages follow Accept-Language (zh-CN by default, English with `en`).',
      },
      tags: [
        { name: 'system', description: '系统 / System' },
        { name: 'regions', description: '行政区划 / Administrative divisions' },
        { name: 'accounts', description: '账号与登录 / Accounts and sign-in' },
        { name: 'users', description: '用户管理 / User administration' },
        { name: 'residents', description: '居民与户 / Residents and households' },
        { name: 'audit', description: '审计 / Audit trail' },
        { name: 'catalog', description: '事项目录 / The service-item catalogue' },
        { name: 'calendar', description: '工作日历 / Working-day calendar' },
        { name: 'certificates', description: '电子证照 / E-certificates and seals' },
        { name: 'applications', description: '办件 / Applications and their workflow' },
        { name: 'files', description: '材料文件 / Uploaded materials' },
        { name: 'integrations', description: '部门系统对接 / The integration hub' },
        { name: 'stats', description: '统计 / Figures for leaders' },
        { name: 'hall', description: '取号叫号 / The service-hall queue' },
      ],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  await app.register(healthRoutes(ctx));
  await app.register(authRoutes(ctx));
  await app.register(auditRoutes(ctx));
  await app.register(usersRoutes(ctx));
  await app.register(regionsRoutes(ctx));
  await app.register(catalogRoutes(ctx));
  await app.register(calendarRoutes(ctx));
  await app.register(filesRoutes(ctx));
  await app.register(applicationsRoutes(ctx));
  await app.register(notificationsRoutes(ctx));
  await app.register(servicePointsRoutes(ctx));
  await app.register(residentsRoutes(ctx));
  await app.register(certificatesRoutes(ctx));
  await app.register(integrationsAdminRoutes(ctx));
  await app.register(inboundRoutes(ctx));
  await app.register(statsRoutes(ctx));
  await app.register(queueRoutes(ctx));

  await app.register(webApp());
  return app;
}

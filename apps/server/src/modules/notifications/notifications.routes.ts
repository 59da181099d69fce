import { errorResponses, limitParam, notificationListSchema } from '@yimen/core';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import { requireActor } from '../../auth/auth-hooks.ts';
import { myNotices } from './notifications.service.ts';

export function notificationsRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/v1/me/notifications',
      {
        schema: {
          tags: ['applications'],
          summary: '我的消息 / My notices',
          querystring: z.strictObject({ limit: limitParam }),
          response: { 200: notificationListSchema, ...errorResponses(400, 401) },
        },
      },
      (req) => myNotices(ctx.database.db, requireActor(req).residentId, req.query.limit),
    );
  };
}

import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import { AppError } from '../../errors.ts';
import { VERSION } from '../../version.ts';
import { pingDatabase } from './health.repo.ts';

const healthSchema = z.object({
  status: z.literal('ok'),
  database: z.enum(['pglite', 'postgres']),
  version: z.string(),
});

export function healthRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/health',
      {
        schema: {
          tags: ['system'],
          summary: '健康检查 / Liveness and database check',
          response: { 200: healthSchema },
        },
      },
      async () => {
        try {
          await pingDatabase(ctx.database.db);
        } catch {
          throw new AppError('SERVICE_UNAVAILABLE', { reason: 'database' });
        }
        return { status: 'ok' as const, database: ctx.database.kind, version: VERSION };
      },
    );
  };
}

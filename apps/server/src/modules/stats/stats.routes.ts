import { errorResponses, regionCodeParam, statsOverviewSchema } from '@yimen/core';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import { requireStaffActor } from '../../auth/auth-hooks.ts';
import { overview, overviewCsv } from './stats.service.ts';

const query = z.strictObject({
  region: regionCodeParam.optional().describe('Default: one’s own jurisdiction'),
  from: z.string().max(7).optional().describe('First month, YYYY-MM (default: a year before `to`)'),
  to: z.string().max(7).optional().describe('Last month, YYYY-MM (default: this month)'),
});

export function statsRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/v1/stats/overview',
      {
        schema: {
          tags: ['stats'],
          summary:
            '领导看板数据 / The leader’s figures for a region: volumes, on-time rate, satisfaction, drill-down',
          querystring: query,
          response: { 200: statsOverviewSchema, ...errorResponses(400, 401, 403, 404) },
        },
      },
      (req) => overview(ctx, requireStaffActor(req), req.query),
    );
    app.get(
      '/api/v1/stats/overview.csv',
      {
        schema: {
          tags: ['stats'],
          summary: '导出 CSV / The same figures as CSV',
          querystring: query,
        },
      },
      async (req, reply) => {
        const o = await overview(ctx, requireStaffActor(req), req.query);
        return reply
          .type('text/csv; charset=utf-8')
          .header(
            'content-disposition',
            `attachment; filename="yimen-${o.region.code}-${o.from}-${o.to}.csv"`,
          )
          .send(`\uFEFF${overviewCsv(o)}\n`);
      },
    );
  };
}

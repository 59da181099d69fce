import {
  errorBodySchema,
  regionChildrenQuery,
  regionCodeParams,
  regionLookupBody,
  regionLookupResultSchema,
  regionPageSchema,
  regionSchema,
  regionSearchQuery,
} from '@yimen/core';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../app-context.ts';
import { findRegions, getRegion, listRegionChildren, lookupRegions } from './regions.service.ts';

export function regionsRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const { db } = ctx.database;
  return async (app) => {
    app.post(
      '/api/v1/regions/lookup',
      {
        schema: {
          tags: ['regions'],
          summary: '批量查询行政区划 / Several regions at once',
          body: regionLookupBody,
          response: { 200: regionLookupResultSchema, 400: errorBodySchema },
        },
      },
      (req) => lookupRegions(db, req.body.codes),
    );

    app.get(
      '/api/v1/regions/:code',
      {
        schema: {
          tags: ['regions'],
          summary: '行政区划详情 / A region with its path',
          params: regionCodeParams,
          response: { 200: regionSchema, 400: errorBodySchema, 404: errorBodySchema },
        },
      },
      (req) => getRegion(db, req.params.code),
    );

    app.get(
      '/api/v1/regions/:code/children',
      {
        schema: {
          tags: ['regions'],
          summary: '下级行政区划 / Children of a region',
          params: regionCodeParams,
          querystring: regionChildrenQuery,
          response: { 200: regionPageSchema, 400: errorBodySchema, 404: errorBodySchema },
        },
      },
      (req) => listRegionChildren(db, req.params.code, req.query),
    );

    app.get(
      '/api/v1/regions',
      {
        schema: {
          tags: ['regions'],
          summary: '搜索或列出行政区划 / Search by name or pinyin, or list a subtree',
          querystring: regionSearchQuery,
          response: { 200: regionPageSchema, 400: errorBodySchema, 404: errorBodySchema },
        },
      },
      (req) => findRegions(db, req.query),
    );
  };
}

import {
  errorBodySchema,
  servicePointCodeParams,
  servicePointListQuery,
  servicePointPageSchema,
  servicePointSchema,
} from '@yimen/core';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../app-context.ts';
import { getServicePoint, listServicePoints } from './service-points.service.ts';

export function servicePointsRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const { db } = ctx.database;
  return async (app) => {
    app.get(
      '/api/v1/service-points',
      {
        schema: {
          tags: ['regions'],
          summary: '服务网点列表 / Service points (stations and centres)',
          querystring: servicePointListQuery,
          response: { 200: servicePointPageSchema, 400: errorBodySchema },
        },
      },
      (req) => listServicePoints(db, req.query),
    );
    app.get(
      '/api/v1/service-points/:code',
      {
        schema: {
          tags: ['regions'],
          summary: '服务网点 / One service point',
          params: servicePointCodeParams,
          response: { 200: servicePointSchema, 404: errorBodySchema },
        },
      },
      (req) => getServicePoint(db, req.params.code),
    );
  };
}

import {
  auditListQuery,
  auditPageSchema,
  auditVerifyQuery,
  auditVerifyResultSchema,
  errorBodySchema,
} from '@yimen/core';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../app-context.ts';
import { requireStaffActor } from '../../auth/auth-hooks.ts';
import { listAuditTrail, verifyAuditTrail } from './audit-trail.service.ts';

export function auditRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const { db } = ctx.database;
  const refusals = { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema };
  return async (app) => {
    app.get(
      '/api/v1/audit',
      {
        schema: {
          tags: ['audit'],
          summary: '审计日志 / The audit trail within your jurisdiction, newest first',
          querystring: auditListQuery,
          response: { 200: auditPageSchema, ...refusals },
        },
      },
      (req) => listAuditTrail(db, requireStaffActor(req), req.query),
    );

    app.get(
      '/api/v1/audit/verify',
      {
        schema: {
          tags: ['audit'],
          summary: '校验审计链 / Check the hash chains (system admin)',
          querystring: auditVerifyQuery,
          response: { 200: auditVerifyResultSchema, ...refusals },
        },
      },
      (req) => verifyAuditTrail(db, requireStaffActor(req), req.query.chain),
    );
  };
}

import {
  departmentAnswerBody,
  departmentAssignedCaseSchema,
  departmentCaseListQuery,
  departmentResultBody,
  errorResponses,
  inboundAckSchema,
} from '@yimen/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import type { RequestMeta } from '../../auth/actor.ts';
import type { Db } from '../../db/connection.ts';
import { systemMessage, write } from '../../http/write.ts';
import { authenticateDepartment, keepRawJsonBody, logInbound } from './inbound.auth.ts';
import { assignedCaseByNo, listAssigned, receiveResult, receiveStatus } from './inbound.service.ts';
import { H } from './signing.ts';
import type { Connector } from './systems.repo.ts';

const tags = ['integrations'];
const errors = errorResponses(400, 401, 404, 409, 422);
const noParams = z.strictObject({ applicationNo: z.string().min(3).max(60) });
const signedHeaders = z
  .object({
    [H.system]: z.string().describe('The client id of the calling system'),
    [H.timestamp]: z.string().describe('Unix seconds; within ±300 s of our clock'),
    [H.nonce]: z.string().describe('16–64 base64url characters, never reused'),
    [H.signature]: z
      .string()
      .describe(
        'base64url HMAC-SHA256 (or Ed25519) over METHOD\\nPATH?QUERY\\nTIMESTAMP\\nNONCE\\nSHA256HEX(BODY)',
      ),
  })
  .loose();
const postHeaders = signedHeaders.extend({
  [H.messageId]: z.string().describe('The sender’s message id: a repeat gets the first answer'),
});

/**
 * The inbound API for department systems: status callbacks, results, and pulls of the cases
 * assigned to them. Every call is signed by the system and checked before anything else.
 */
export function inboundRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    keepRawJsonBody(app);
    app.addHook('preValidation', authenticateDepartment(ctx));
    app.addHook('onSend', logInbound(ctx));

    /** A call that moves a case: once per (system, message id), taken as the system. */
    const asTheSystem = <R extends FastifyReply, T>(
      req: FastifyRequest,
      reply: R,
      work: (trx: Db, system: Connector, meta: RequestMeta & { messageId: string }) => Promise<T>,
    ) => {
      const system = req.department!;
      const once = systemMessage(req, system.id, H.messageId);
      return write(ctx, req, reply, { once }, (trx) =>
        work(trx, system, { ...req.meta, messageId: once.key }),
      );
    };

    app.post(
      '/api/v1/dept/applications/:applicationNo/status',
      {
        schema: {
          tags,
          summary: '部门系统回告办理状态 / A department answers: accepted, rejected, later',
          headers: postHeaders,
          params: noParams,
          body: departmentAnswerBody,
          response: { 200: inboundAckSchema, ...errors },
        },
      },
      async (req, reply) =>
        asTheSystem(req, reply, (trx, system, meta) =>
          receiveStatus(ctx, trx, system, meta, req.params.applicationNo, req.body),
        ),
    );

    app.post(
      '/api/v1/dept/applications/:applicationNo/result',
      {
        schema: {
          tags,
          summary: '部门系统出具结果 / A department issues the result',
          headers: postHeaders,
          params: noParams,
          body: departmentResultBody,
          response: { 200: inboundAckSchema, ...errors },
        },
      },
      async (req, reply) =>
        asTheSystem(req, reply, (trx, system, meta) =>
          receiveResult(ctx, trx, system, meta, req.params.applicationNo, req.body),
        ),
    );

    app.get(
      '/api/v1/dept/applications',
      {
        schema: {
          tags,
          summary: '部门系统拉取分配给它的办件 / A department pulls the cases assigned to it',
          headers: signedHeaders,
          querystring: departmentCaseListQuery,
          response: { 200: z.object({ items: z.array(departmentAssignedCaseSchema) }), ...errors },
        },
      },
      (req) => listAssigned(ctx, req.department!, req.query),
    );

    app.get(
      '/api/v1/dept/applications/:applicationNo',
      {
        schema: {
          tags,
          summary: '部门系统读取一个办件 / A department reads one case assigned to it',
          headers: signedHeaders,
          params: noParams,
          response: { 200: departmentAssignedCaseSchema, ...errors },
        },
      },
      (req) => assignedCaseByNo(ctx, req.department!, req.params.applicationNo),
    );
  };
}

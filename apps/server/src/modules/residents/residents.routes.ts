import {
  createHouseholdBody,
  createResidentBody,
  errorResponses,
  householdIdParams,
  householdSchema,
  residentDetailSchema,
  residentIdParams,
  residentListQuery,
  residentLookupBody,
  residentPageSchema,
  updateResidentBody,
} from '@yimen/core';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../app-context.ts';
import { requireActor, requireStaffActor } from '../../auth/auth-hooks.ts';
import { write } from '../../http/write.ts';
import { createHousehold, getHousehold } from './households.service.ts';
import { createResident, findResidents, getResident, updateResident } from './residents.service.ts';

const errors = errorResponses(400, 401, 403, 404);
const errorsOrConflict = errorResponses(400, 401, 403, 404, 409);

export function residentsRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const { db } = ctx.database;
  return async (app) => {
    app.post(
      '/api/v1/residents',
      {
        schema: {
          tags: ['residents'],
          summary: '登记居民 / Register a resident',
          body: createResidentBody,
          response: { 201: residentDetailSchema, ...errorsOrConflict },
        },
      },
      async (req, reply) => {
        const actor = requireStaffActor(req);
        return write(ctx, req, reply, { status: 201 }, (trx) =>
          createResident(ctx, trx, actor, req.meta, req.body),
        );
      },
    );

    app.get(
      '/api/v1/residents',
      {
        schema: {
          tags: ['residents'],
          summary:
            '查找居民：按身份证号精确查找，或在辖区内按姓名浏览 / Find residents: exact by ID number, or browse by name within the jurisdiction',
          querystring: residentListQuery,
          response: { 200: residentPageSchema, ...errors },
        },
      },
      (req) => findResidents(ctx, requireStaffActor(req), req.query),
    );

    // The same exact lookup with the number in the body, so it stays out of URLs, request
    // logs and proxies' access logs.
    app.post(
      '/api/v1/residents/lookup',
      {
        schema: {
          tags: ['residents'],
          summary:
            '按身份证号查找居民（号码不进 URL）/ Find a resident by ID number, kept out of the URL',
          body: residentLookupBody,
          response: { 200: residentPageSchema, ...errors },
        },
      },
      (req) =>
        findResidents(ctx, requireStaffActor(req), { idNumber: req.body.idNumber, limit: 1 }),
    );

    app.get(
      '/api/v1/residents/:id',
      {
        schema: {
          tags: ['residents'],
          summary: '居民详情（含完整身份证号，查看留痕）/ A resident in full; each view is audited',
          params: residentIdParams,
          response: { 200: residentDetailSchema, ...errors },
        },
      },
      // A read that writes: each view of the full number is audited in its own unit.
      async (req, reply) => {
        const actor = requireActor(req);
        return write(ctx, req, reply, {}, (trx) =>
          getResident(ctx, trx, actor, req.meta, req.params.id),
        );
      },
    );

    app.patch(
      '/api/v1/residents/:id',
      {
        schema: {
          tags: ['residents'],
          summary: '修改居民信息 / Change a resident',
          params: residentIdParams,
          body: updateResidentBody,
          response: { 200: residentDetailSchema, ...errorsOrConflict },
        },
      },
      async (req, reply) => {
        const actor = requireStaffActor(req);
        return write(ctx, req, reply, {}, (trx) =>
          updateResident(ctx, trx, actor, req.meta, req.params.id, req.body),
        );
      },
    );

    app.post(
      '/api/v1/households',
      {
        schema: {
          tags: ['residents'],
          summary: '立户 / Open a household',
          body: createHouseholdBody,
          response: { 201: householdSchema, ...errorsOrConflict },
        },
      },
      async (req, reply) => {
        const actor = requireStaffActor(req);
        return write(ctx, req, reply, { status: 201 }, (trx) =>
          createHousehold(trx, actor, req.meta, req.body),
        );
      },
    );

    app.get(
      '/api/v1/households/:id',
      {
        schema: {
          tags: ['residents'],
          summary: '户及其成员 / A household and its members',
          params: householdIdParams,
          response: { 200: householdSchema, ...errors },
        },
      },
      (req) => getHousehold(db, requireActor(req), req.params.id),
    );
  };
}

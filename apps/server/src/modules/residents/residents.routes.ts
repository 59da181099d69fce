import {
  createHouseholdBody,
  createResidentBody,
  errorBodySchema,
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
import { createHousehold, getHousehold } from './households.service.ts';
import { createResident, findResidents, getResident, updateResident } from './residents.service.ts';

const errors = {
  400: errorBodySchema,
  401: errorBodySchema,
  403: errorBodySchema,
  404: errorBodySchema,
};

export function residentsRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/api/v1/residents',
      {
        schema: {
          tags: ['residents'],
          summary: '登记居民 / Register a resident',
          body: createResidentBody,
          response: { 201: residentDetailSchema, ...errors, 409: errorBodySchema },
        },
      },
      async (req, reply) => {
        const detail = await createResident(ctx, requireStaffActor(req), req.meta, req.body);
        return reply.status(201).send(detail);
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
      (req) => getResident(ctx, requireActor(req), req.meta, req.params.id),
    );

    app.patch(
      '/api/v1/residents/:id',
      {
        schema: {
          tags: ['residents'],
          summary: '修改居民信息 / Change a resident',
          params: residentIdParams,
          body: updateResidentBody,
          response: { 200: residentDetailSchema, ...errors, 409: errorBodySchema },
        },
      },
      (req) => updateResident(ctx, requireStaffActor(req), req.meta, req.params.id, req.body),
    );

    app.post(
      '/api/v1/households',
      {
        schema: {
          tags: ['residents'],
          summary: '立户 / Open a household',
          body: createHouseholdBody,
          response: { 201: householdSchema, ...errors, 409: errorBodySchema },
        },
      },
      async (req, reply) => {
        const household = await createHousehold(ctx, requireStaffActor(req), req.meta, req.body);
        return reply.status(201).send(household);
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
      (req) => getHousehold(ctx, requireActor(req), req.params.id),
    );
  };
}

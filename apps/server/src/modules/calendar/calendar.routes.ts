import {
  calendarYearBody,
  calendarYearDetailSchema,
  calendarYearListSchema,
  calendarYearParams,
  errorResponses,
  workingDaysQuery,
  workingDaysResultSchema,
} from '@yimen/core';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../app-context.ts';
import { requireStaffActor } from '../../auth/auth-hooks.ts';
import { write } from '../../http/write.ts';
import {
  computeWorkingDays,
  getCalendarYear,
  listCalendarYears,
  loadCalendarYear,
  unloadCalendarYear,
} from './calendar.service.ts';

const errors = errorResponses(400, 401, 403, 404);

/**
 * The official calendar is public information, so reading it needs no sign-in (citizens'
 * apps show due dates too); changing it is for city and system administrators.
 */
export function calendarRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/v1/calendar/years',
      {
        schema: {
          tags: ['calendar'],
          summary:
            '各年节假日数据来源（上年至后年）/ Where each year’s holidays come from, last year to the year after next',
          response: { 200: calendarYearListSchema, ...errors },
        },
      },
      () => listCalendarYears(ctx),
    );

    app.get(
      '/api/v1/calendar/years/:year',
      {
        schema: {
          tags: ['calendar'],
          summary: '某年的节假日与调休上班日 / A year’s holidays and make-up workdays in force',
          params: calendarYearParams,
          response: { 200: calendarYearDetailSchema, ...errors },
        },
      },
      (req) => getCalendarYear(ctx, req.params.year),
    );

    app.put(
      '/api/v1/calendar/years/:year',
      {
        schema: {
          tags: ['calendar'],
          summary:
            '导入某年官方节假日安排（优先于内置数据）/ Load a year’s official arrangement, which takes precedence over the package',
          params: calendarYearParams,
          body: calendarYearBody,
          response: { 200: calendarYearDetailSchema, ...errors },
        },
      },
      async (req, reply) => {
        const actor = requireStaffActor(req);
        return write(ctx, req, reply, {}, (trx) =>
          loadCalendarYear(ctx, trx, actor, req.meta, req.params.year, req.body),
        );
      },
    );

    app.delete(
      '/api/v1/calendar/years/:year',
      {
        schema: {
          tags: ['calendar'],
          summary:
            '删除导入的安排，回退到内置数据 / Remove a loaded year and fall back to the package',
          params: calendarYearParams,
          response: { 200: calendarYearDetailSchema, ...errors },
        },
      },
      async (req, reply) => {
        const actor = requireStaffActor(req);
        return write(ctx, req, reply, {}, (trx) =>
          unloadCalendarYear(ctx, trx, actor, req.meta, req.params.year),
        );
      },
    );

    app.get(
      '/api/v1/calendar/working-days',
      {
        schema: {
          tags: ['calendar'],
          summary:
            '按工作日计算到期日（受理当日不计）/ The due date after some working days, the start day not counted',
          querystring: workingDaysQuery,
          response: { 200: workingDaysResultSchema, ...errors },
        },
      },
      (req) => computeWorkingDays(ctx, req.query),
    );
  };
}

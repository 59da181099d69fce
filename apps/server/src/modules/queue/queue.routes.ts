import {
  callNextSchema,
  displayStateSchema,
  displayStreamQuery,
  emptyBody,
  errorResponses,
  finishTicketBody,
  hallFiguresQuery,
  hallFiguresSchema,
  hallIdParams,
  hallServicePointParams,
  issuedTicketSchema,
  issueTicketBody,
  queueStatsQuery,
  queueStatsSchema,
  ticketDetailSchema,
  ticketListQuery,
  ticketListSchema,
  ticketSchema,
  transferTicketBody,
  windowConsoleSchema,
} from '@yimen/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import type { Actor } from '../../auth/actor.ts';
import { requireStaffActor } from '../../auth/auth-hooks.ts';
import type { Db } from '../../db/connection.ts';
import { userKey, write } from '../../http/write.ts';
import { requirePoint } from './queue.access.ts';
import { listTickets, ticketDetail, windowConsole } from './queue.console.service.ts';
import { displayState, openDisplayHub } from './queue.display.ts';
import { dayFigures, regionQueueStats } from './queue.figures.ts';
import * as outcomes from './queue.outcomes.service.ts';
import { hallSetupRoutes } from './queue.setup.routes.ts';
import { streamDisplay } from './queue.stream.ts';
import * as tickets from './queue.tickets.service.ts';

const tags = ['hall'];
const errors = errorResponses(400, 401, 403, 404, 409, 422);
const optionalIdempotency = z
  .object({
    'idempotency-key': z
      .string()
      .optional()
      .describe('Optional, 8–100 characters: a retry with the same key gets the first answer'),
  })
  .loose();

/** A step on a ticket: its id in the path, its body, the ticket as it is after. */
function ticketStep<B extends z.ZodType>(summary: string, body: B) {
  return {
    tags,
    summary,
    params: hallIdParams,
    body,
    response: { 200: z.object({ ticket: ticketSchema }), ...errors },
  };
}

/** The service-hall queue (取号 / 叫号): groups, tickets, windows, the hall display, figures. */
export function queueRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const { db } = ctx.database;
  return async (app) => {
    const hub = openDisplayHub(ctx, app.log);
    // Open display streams would hold the server open: end them when it closes.
    app.addHook('preClose', async () => hub.closeAll());
    hallSetupRoutes(app, ctx);

    /** A step by the hall's staff: one unit of work, once per Idempotency-Key when sent. */
    function act<R extends FastifyReply, T>(
      req: FastifyRequest,
      reply: R,
      status: number,
      request: unknown,
      step: (trx: Db, actor: Actor) => Promise<T>,
    ) {
      const actor = requireStaffActor(req);
      const once = userKey(req, request, { optional: true });
      return write(ctx, req, reply, { status, once }, (trx) => step(trx, actor));
    }

    app.get(
      '/api/v1/hall/windows/:id',
      {
        schema: {
          tags,
          summary: '窗口工作台 / The window console: its ticket now, who waits, today’s work',
          params: hallIdParams,
          response: { 200: windowConsoleSchema, ...errorResponses(401, 403, 404) },
        },
      },
      (req) => windowConsole(db, requireStaffActor(req), req.params.id),
    );

    app.post(
      '/api/v1/hall/windows/:id/call-next',
      {
        schema: {
          tags,
          summary:
            '叫号 / Call the next ticket (priority interleaved); `ticket: null` when nobody waits',
          description:
            'The window calls from its groups in order: the first with anyone waiting today. Within a ' +
            'group a waiting priority ticket (elderly, disabled) goes first once the group has made ' +
            '`priorityEvery` normal calls since its last priority call today (default 2: normal, ' +
            'normal, priority, …), or when no normal ticket waits; otherwise the oldest normal ticket. ' +
            'Order within a kind is by first issue time, so a transferred ticket keeps its place. ' +
            'Only the person seated at the window may call (403 otherwise); a window still holding a ' +
            'called or served ticket answers 409.',
          headers: optionalIdempotency,
          params: hallIdParams,
          body: emptyBody,
          response: { 200: callNextSchema, ...errors },
        },
      },
      async (req, reply) =>
        act(req, reply, 200, { op: 'callNext', id: req.params.id }, (trx, actor) =>
          tickets.callNext(ctx, trx, actor, req.meta, req.params.id),
        ),
    );

    app.post(
      '/api/v1/hall/service-points/:code/tickets',
      {
        schema: {
          tags,
          summary: '取号 / Issue a ticket at the kiosk or the front desk (normal or priority)',
          headers: optionalIdempotency,
          params: hallServicePointParams,
          body: issueTicketBody,
          response: { 201: issuedTicketSchema, ...errors },
        },
      },
      async (req, reply) =>
        act(req, reply, 201, { op: 'issue', code: req.params.code, body: req.body }, (trx, actor) =>
          tickets.issueTicket(ctx, trx, actor, req.meta, req.params.code, req.body),
        ),
    );

    app.get(
      '/api/v1/hall/service-points/:code/tickets',
      {
        schema: {
          tags,
          summary: '当天的号码 / The day’s tickets of a hall',
          params: hallServicePointParams,
          querystring: ticketListQuery,
          response: { 200: ticketListSchema, ...errorResponses(400, 401, 403, 404) },
        },
      },
      (req) => listTickets(db, requireStaffActor(req), req.params.code, req.query),
    );

    app.get(
      '/api/v1/hall/tickets/:id',
      {
        schema: {
          tags,
          summary: '号码及其经过 / A ticket and its history, across transfers',
          params: hallIdParams,
          response: { 200: ticketDetailSchema, ...errorResponses(401, 403, 404) },
        },
      },
      (req) => ticketDetail(db, requireStaffActor(req), req.params.id),
    );

    for (const action of ['recall', 'skip', 'start'] as const) {
      const summary = {
        recall: '重呼 / Call the same ticket again (the display shows it again)',
        skip: '过号 / The called person did not come (no-show)',
        start: '开始办理 / Start serving the called ticket',
      }[action];
      app.post(
        `/api/v1/hall/tickets/:id/${action}`,
        { schema: ticketStep(summary, emptyBody) },
        async (req, reply) =>
          act(req, reply, 200, { op: action, id: req.params.id }, (trx, actor) =>
            tickets.stepTicket(ctx, trx, actor, req.meta, req.params.id, action),
          ),
      );
    }

    app.post(
      '/api/v1/hall/tickets/:id/finish',
      {
        schema: ticketStep(
          '办结 / Finish serving, with the application the visit produced',
          finishTicketBody,
        ),
      },
      async (req, reply) =>
        act(req, reply, 200, { op: 'finish', id: req.params.id, body: req.body }, (trx, actor) =>
          outcomes.finishTicket(ctx, trx, actor, req.meta, req.params.id, req.body),
        ),
    );

    app.post(
      '/api/v1/hall/tickets/:id/transfer',
      {
        schema: ticketStep(
          '转移到其他业务 / Transfer to another group: same number, waiting counts from the first issue',
          transferTicketBody,
        ),
      },
      async (req, reply) =>
        act(req, reply, 200, { op: 'transfer', id: req.params.id, body: req.body }, (trx, actor) =>
          outcomes.transferTicket(ctx, trx, actor, req.meta, req.params.id, req.body),
        ),
    );

    app.get(
      '/api/v1/hall/service-points/:code/display',
      {
        schema: {
          tags,
          summary:
            '大厅叫号屏（公开，只有号码） / The hall display now: numbers and windows, no names (public)',
          params: hallServicePointParams,
          response: { 200: displayStateSchema, ...errorResponses(400, 404) },
        },
      },
      async (req) => displayState(db, await requirePoint(db, req.params.code)),
    );

    app.get(
      '/api/v1/hall/service-points/:code/display/stream',
      {
        schema: {
          tags,
          summary:
            '叫号屏实时推送（SSE） / The hall display live: text/event-stream, `event: hall` with the state and the calls to announce; heartbeats every 15 s; resumes with Last-Event-ID',
          params: hallServicePointParams,
          querystring: displayStreamQuery,
          produces: ['text/event-stream'],
          response: { ...errorResponses(400, 404) },
        },
      },
      async (req, reply) =>
        streamDisplay(db, hub, await requirePoint(db, req.params.code), req, reply),
    );

    app.get(
      '/api/v1/hall/figures',
      {
        schema: {
          tags,
          summary:
            '大厅一天的数据 / A hall’s day: tickets, waiting and serving times (median, p90) per group and window',
          querystring: hallFiguresQuery,
          response: { 200: hallFiguresSchema, ...errorResponses(400, 401, 403, 404) },
        },
      },
      (req) => dayFigures(db, requireStaffActor(req), req.query),
    );

    app.get(
      '/api/v1/stats/queue',
      {
        schema: {
          tags: ['stats'],
          summary:
            '排队叫号数据（领导看板） / Queue figures of a region over months, by child region and month',
          querystring: queueStatsQuery,
          response: { 200: queueStatsSchema, ...errorResponses(400, 401, 403, 404) },
        },
      },
      (req) => regionQueueStats(db, requireStaffActor(req), req.query),
    );
  };
}

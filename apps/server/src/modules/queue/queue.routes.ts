import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../app-context.ts';

/** The service-hall queue (取号 / 叫号): groups, tickets, windows, the hall display, figures. */
export function queueRoutes(_ctx: AppContext): FastifyPluginAsyncZod {
  return async () => {};
}

import type { AppContext } from '../../app-context.ts';
import { purgeIdempotencyKeys } from '../applications/idempotency.ts';
import {
  type DispatcherOptions,
  dispatchOnce,
  startDispatcher,
  type TopicHandler,
  wakeStrandedQueues,
} from '../outbox/dispatcher.ts';
import { departmentHandler } from './department.handler.ts';
import { logSettled, purgeExpired } from './message-log.ts';
import { natsPublisher } from './nats.handler.ts';
import { webhookHandler } from './webhook.handler.ts';

const PURGE_EVERY_MS = 60 * 60_000;

/**
 * The hub's topics beside whatever else the outbox carries (SMS): department calls,
 * webhooks, and NATS when configured. One dispatcher sends them all.
 */
export function hubHandlers(ctx: AppContext, others: Record<string, TopicHandler> = {}) {
  const nats = ctx.config.integrations.natsUrl ? natsPublisher(ctx) : null;
  const handlers: Record<string, TopicHandler> = {
    ...others,
    department: departmentHandler(ctx),
    webhook: webhookHandler(ctx),
    ...(nats ? { nats: nats.handler } : {}),
  };
  return { handlers, close: async () => nats?.close() };
}

export function dispatcherOptions(ctx: AppContext): DispatcherOptions {
  const c = ctx.config.integrations;
  return {
    leaseMs: c.outboxLeaseMs,
    maxAttempts: c.outboxMaxAttempts,
    concurrency: c.dispatchConcurrency,
    batchSize: Math.max(20, c.dispatchConcurrency * 4),
    onSettle: logSettled,
  };
}

/** Runs the dispatcher and, hourly, the retention of the message log and idempotency keys, until stopped. */
export function startHub(
  ctx: AppContext,
  others: Record<string, TopicHandler>,
  onError: (err: unknown, what: string) => void,
): { stop(): Promise<void> } {
  const { handlers, close } = hubHandlers(ctx, others);
  const dispatcher = startDispatcher(ctx.database.db, handlers, {
    ...dispatcherOptions(ctx),
    onError: (err) => onError(err, 'outbox dispatch failed'),
  });
  const purge = () =>
    purgeExpired(ctx.database.db, ctx.config.integrations.messageLogDays)
      .then(() => purgeIdempotencyKeys(ctx.database.db, ctx.config.idempotencyHours))
      .then(() => wakeStrandedQueues(ctx.database.db))
      .catch((err) => onError(err, 'message log retention failed'));
  const first = setTimeout(purge, 10_000);
  const timer = setInterval(purge, PURGE_EVERY_MS);
  first.unref();
  timer.unref();
  return {
    async stop() {
      clearTimeout(first);
      clearInterval(timer);
      await dispatcher.stop();
      await close();
    },
  };
}

/** Tests and tools: dispatch until nothing is due (or `maxPasses`), returning how many were handled. */
export async function drainOutbox(
  ctx: AppContext,
  handlers: Record<string, TopicHandler>,
  opts: DispatcherOptions & { maxPasses?: number } = {},
): Promise<number> {
  let total = 0;
  for (let i = 0; i < (opts.maxPasses ?? 1000); i++) {
    const n = await dispatchOnce(ctx.database.db, handlers, { ...dispatcherOptions(ctx), ...opts });
    if (n === 0) break;
    total += n;
  }
  return total;
}

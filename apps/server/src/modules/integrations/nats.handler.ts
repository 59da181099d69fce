import { type JetStreamClient, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, headers, type NatsConnection } from '@nats-io/transport-node';
import type { AppContext } from '../../app-context.ts';
import type { SendResult, TopicHandler } from '../outbox/dispatcher.ts';
import type { Exchange } from './message-log.ts';
import { H } from './signing.ts';

/** The stream the platform creates when no stream yet captures its subjects. */
export const NATS_STREAM = 'YIMEN';
export const NATS_SUBJECTS = 'yimen.>';
const DAY_NS = 86_400 * 1e9;

/**
 * Publishes case events to NATS JetStream, so systems at city or province scale subscribe
 * instead of polling. The outbox message id is the JetStream Nats-Msg-Id: a re-delivery
 * after a crash is dropped by the stream's duplicate window, and a consumer that saw it
 * anyway deduplicates on the event id in the body.
 */
export function natsPublisher(ctx: AppContext) {
  const url = ctx.config.integrations.natsUrl;
  let nc: NatsConnection | null = null;
  let js: JetStreamClient | null = null;
  let connecting: Promise<JetStreamClient> | null = null;

  async function open(): Promise<JetStreamClient> {
    if (js && nc && !nc.isClosed()) return js;
    connecting ??= (async () => {
      try {
        nc = await connect({ servers: url!, name: 'yimen', timeout: 5_000, reconnect: true });
        const jsm = await jetstreamManager(nc);
        const existing = await jsm.streams.find('yimen.any.submitted').catch(() => null);
        if (!existing) {
          await jsm.streams.add({
            name: NATS_STREAM,
            subjects: [NATS_SUBJECTS],
            max_age: 30 * DAY_NS,
            duplicate_window: 2 * 60 * 60 * 1e9,
          });
        }
        js = jetstream(nc);
        return js;
      } finally {
        connecting = null;
      }
    })();
    return connecting;
  }

  const handler: TopicHandler = async (m): Promise<SendResult> => {
    const p = m.payload as {
      subject: string;
      event: { eventId: string; application: { applicationNo: string } };
    };
    const body = JSON.stringify(p.event);
    const startedAt = new Date();
    const t0 = performance.now();
    let error: string | null = null;
    let ack: { stream: string; seq: number; duplicate: boolean } | null = null;
    try {
      const client = await open();
      const h = headers();
      h.set(H.messageId, m.messageId);
      h.set(H.applicationNo, p.event.application.applicationNo);
      const a = await client.publish(p.subject, body, { msgID: m.messageId, headers: h });
      ack = { stream: a.stream, seq: a.seq, duplicate: a.duplicate };
    } catch (err) {
      error = (err as Error).message || String(err);
      if (nc?.isClosed()) nc = js = null;
    }
    const exchange: Exchange = {
      direction: 'outbound',
      channel: 'nats',
      outboxId: m.id,
      messageId: m.messageId,
      applicationId: m.applicationId,
      applicationNo: p.event.application.applicationNo,
      method: 'PUB',
      url: `${url}/${p.subject}`,
      requestBody: body,
      responseBody: ack ? JSON.stringify(ack) : null,
      outcome: ack ? (ack.duplicate ? 'duplicate' : 'delivered') : 'failed',
      error,
      startedAt,
      durationMs: performance.now() - t0,
    };
    return ack ? { ok: true, exchange } : { ok: false, error: error!, exchange };
  };

  return {
    handler,
    async close() {
      const c = nc;
      nc = js = null;
      await c?.drain().catch(() => {});
    },
  };
}

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DeliverPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { createHubEnv, type HubEnv, submitUnemployment } from './integrations.fixtures.ts';
import { NATS_STREAM, NATS_SUBJECTS } from './nats.handler.ts';

/**
 * Case events on NATS JetStream (yimen.<region>.<event>) for systems at city or province
 * scale. CI starts nats-server; without it this test fails, saying how to start it.
 */
const NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
const START_NATS =
  'start-stop-daemon --start --oknodo --background --exec /usr/sbin/nats-server -- ' +
  '-a 127.0.0.1 -p 4222 -js -sd /var/lib/nats-server -l /var/log/nats-server.log';

let env: HubEnv | undefined;
let nc: NatsConnection | undefined;
let unreachable: string | undefined;
before(async () => {
  try {
    nc = await connect({ servers: NATS_URL, timeout: 3000, reconnect: false });
  } catch (err) {
    unreachable =
      `NATS is not reachable at ${NATS_URL} (${(err as Error).message}). ` +
      `Start it with JetStream on: ${START_NATS}`;
    return;
  }
  env = await createHubEnv({ systems: [{ key: 'hrss' }], integrations: { natsUrl: NATS_URL } });
});
after(async () => {
  await nc?.close();
  await env?.closeHub();
});

async function streamFor(nc: NatsConnection, subject: string): Promise<string> {
  const jsm = await jetstreamManager(nc);
  const found = await jsm.streams.find(subject).catch(() => null);
  if (found) return found;
  await jsm.streams.add({ name: NATS_STREAM, subjects: [NATS_SUBJECTS] });
  return NATS_STREAM;
}

/** The events of one case in the stream since `since`, in stream order. */
async function eventsOf(
  nc: NatsConnection,
  stream: string,
  region: string,
  caseId: string,
  since: Date,
) {
  const consumer = await jetstream(nc).consumers.get(stream, {
    filter_subjects: `yimen.${region}.>`,
    deliver_policy: DeliverPolicy.StartTime,
    opt_start_time: since.toISOString(),
  });
  const out: {
    subject: string;
    msgId: string | undefined;
    body: { eventId: string; event: string };
  }[] = [];
  const batch = await consumer.fetch({ max_messages: 1000, expires: 2000 });
  for await (const m of batch) {
    const body = m.json<{ eventId: string; event: string; application: { id: string } }>();
    if (body.application.id === caseId)
      out.push({ subject: m.subject, msgId: m.headers?.get('Nats-Msg-Id'), body });
  }
  return out;
}

describe('events on NATS JetStream', () => {
  it('publishes each case event to yimen.<region>.<event>, deduplicated by message id', async () => {
    // Not a skip: CI runs NATS, and a hub that cannot reach it is a failure to see.
    if (unreachable || !env || !nc) assert.fail(unreachable ?? 'no test environment');
    const stream = await streamFor(nc, 'yimen.430922101.submitted');
    const since = new Date(Date.now() - 1000);
    const c = await submitUnemployment(env);
    const accepted = await env.clerk.act(c.id, 'accept');
    assert.equal(accepted.statusCode, 200, accepted.body);
    await env.drain();

    const got = await eventsOf(nc, stream, '430922101', c.id, since);
    assert.deepEqual(
      got.map((g) => g.subject),
      ['yimen.430922101.submitted', 'yimen.430922101.accepted'],
    );
    for (const g of got) assert.equal(g.msgId, g.body.eventId, 'Nats-Msg-Id is the event id');
    const rows = await env.db
      .selectFrom('outbox')
      .select(['id', 'message_id', 'status'])
      .where('topic', '=', 'nats')
      .where('application_id', '=', c.id)
      .orderBy('id')
      .execute();
    assert.deepEqual(
      rows.map((r) => r.message_id),
      got.map((g) => g.body.eventId),
    );

    // Delivered again (a crash after publishing, before marking sent): the stream drops it.
    await env.db
      .updateTable('outbox')
      .set({ status: 'pending', next_attempt_at: new Date(0) })
      .where('id', '=', rows[0]!.id)
      .execute();
    await env.drain();
    const log = await env.db
      .selectFrom('message_log')
      .select('outcome')
      .where('channel', '=', 'nats')
      .where('message_id', '=', rows[0]!.message_id)
      .orderBy('id')
      .execute();
    assert.deepEqual(
      log.map((l) => l.outcome),
      ['delivered', 'duplicate'],
    );
    assert.equal(
      (await eventsOf(nc, stream, '430922101', c.id, since)).length,
      2,
      'no second copy',
    );
  });
});

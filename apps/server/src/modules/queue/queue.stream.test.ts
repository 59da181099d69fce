import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createTestEnv, type TestEnv } from '../../test/harness.ts';
import { displayHubOf } from './queue.display.ts';
import {
  buildHall,
  callNext,
  type Hall,
  issue,
  seatedStaff,
  step,
  XIUSHAN,
} from './queue.fixtures.ts';

/** The hall display: its JSON for first paint, and the live stream over a real socket. */
let env: TestEnv;
let hall: Hall;
let base: string;
let pointId: string;
let closed = false;
before(async () => {
  env = await createTestEnv();
  hall = await buildHall(env, XIUSHAN, {
    groups: [
      { prefix: 'A', name: '综合窗口' },
      { prefix: 'B', name: '社保医保' },
    ],
    windows: [
      { name: '1号窗口', groups: ['A'] },
      { name: '3号窗口', groups: ['B'] },
    ],
  });
  await env.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(env.app.server.address() as AddressInfo).port}`;
  pointId = (
    await env.db
      .selectFrom('service_point')
      .select('id')
      .where('code', '=', XIUSHAN)
      .executeTakeFirstOrThrow()
  ).id;
});
after(async () => {
  if (!closed) await env.close();
});

interface Frame {
  id: number;
  data: {
    state: {
      lastEventId: number;
      windows: { name: string; number: string | null }[];
      recent: { number: string; windowName: string; recall: boolean }[];
      waiting: { prefix: string; waiting: number }[];
    };
    calls: { number: string; windowName: string; recall: boolean }[];
  };
}

/** Reads server-sent events from a fetch body: the next `hall` message, skipping comments. */
function sseReader(body: ReadableStream<Uint8Array>) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buf = '';
  return {
    reader,
    async next(): Promise<Frame | null> {
      for (;;) {
        const end = buf.indexOf('\n\n');
        if (end >= 0) {
          const block = buf.slice(0, end);
          buf = buf.slice(end + 2);
          const lines = block.split('\n');
          const field = (name: string) =>
            lines.find((l) => l.startsWith(`${name}: `))?.slice(name.length + 2);
          if (field('event') !== 'hall') continue;
          return { id: Number(field('id')), data: JSON.parse(field('data')!) };
        }
        const { value, done } = await reader.read();
        if (done) return null;
        buf += decoder.decode(value, { stream: true });
      }
    },
  };
}

async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(cond());
}

describe('the hall display', () => {
  it('answers the state as JSON, public, with numbers and windows only', async () => {
    const res = await fetch(`${base}/api/v1/hall/service-points/${XIUSHAN}/display`);
    assert.equal(res.status, 200);
    const state = (await res.json()) as Frame['data']['state'];
    assert.deepEqual(
      state.windows.map((w) => w.name),
      ['1号窗口', '3号窗口'],
    );
    assert.deepEqual(
      state.waiting.map((w) => w.prefix),
      ['A', 'B'],
    );
    const missing = await fetch(`${base}/api/v1/hall/service-points/4309000000/display`);
    assert.equal(missing.status, 404);
  });

  it('streams each call after its commit, and forgets a closed connection', async () => {
    const desk = await seatedStaff(env, hall);
    const w1 = await seatedStaff(env, hall, '1号窗口');
    const ctl = new AbortController();
    const res = await fetch(`${base}/api/v1/hall/service-points/${XIUSHAN}/display/stream`, {
      signal: ctl.signal,
      headers: { 'accept-encoding': 'gzip, br' },
    });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/event-stream/);
    assert.equal(res.headers.get('content-encoding'), null);
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff', 'helmet’s headers kept');
    const sse = sseReader(res.body!);
    const first = await sse.next();
    assert.ok(first);
    assert.deepEqual(first.data.calls, []);
    assert.equal(displayHubOf(env.ctx).listeners(pointId), 1);

    const t = await issue(env, desk, hall, 'A');
    const afterIssue = await sse.next();
    assert.equal(afterIssue?.data.state.waiting.find((g) => g.prefix === 'A')?.waiting, 1);
    assert.ok(afterIssue!.id > first.id);
    await callNext(env, w1, hall, '1号窗口');
    const called = await sse.next();
    assert.deepEqual(
      called?.data.calls.map((c) => [c.number, c.windowName, c.recall]),
      [[t.number, '1号窗口', false]],
    );
    assert.equal(called?.data.state.windows[0]?.number, t.number);
    await step(env, w1, t.id, 'recall');
    const recalled = await sse.next();
    assert.deepEqual(
      recalled?.data.calls.map((c) => [c.number, c.recall]),
      [[t.number, true]],
    );
    ctl.abort();
    await until(() => displayHubOf(env.ctx).listeners(pointId) === 0);
  });

  it('replays the calls a reconnecting screen missed, from Last-Event-ID', async () => {
    const desk = await seatedStaff(env, hall);
    const w3 = await seatedStaff(env, hall, '3号窗口');
    const before_ = (await (
      await fetch(`${base}/api/v1/hall/service-points/${XIUSHAN}/display`)
    ).json()) as Frame['data']['state'];
    const t = await issue(env, desk, hall, 'B');
    await callNext(env, w3, hall, '3号窗口');
    const ctl = new AbortController();
    const res = await fetch(`${base}/api/v1/hall/service-points/${XIUSHAN}/display/stream`, {
      signal: ctl.signal,
      headers: { 'last-event-id': String(before_.lastEventId) },
    });
    const sse = sseReader(res.body!);
    const first = await sse.next();
    assert.deepEqual(
      first?.data.calls.map((c) => [c.number, c.windowName]),
      [[t.number, '3号窗口']],
    );
    assert.equal(first?.data.state.recent[0]?.number, t.number);
    ctl.abort();
    await until(() => displayHubOf(env.ctx).listeners(pointId) === 0);
  });

  it('lets the server close with streams open, ending them', async () => {
    const res = await fetch(`${base}/api/v1/hall/service-points/${XIUSHAN}/display/stream`);
    const sse = sseReader(res.body!);
    assert.ok(await sse.next());
    closed = true;
    await env.close();
    assert.equal(await sse.next(), null);
  });
});

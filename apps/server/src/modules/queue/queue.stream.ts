import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../../db/connection.ts';
import { callsSince, type DisplayHub, type DisplayMessage, displayState } from './queue.display.ts';
import type { HallPoint } from './queue.repo.ts';

/**
 * A `ping` event every 15 s keeps proxies from closing an idle stream, and lets a screen
 * notice a connection that died without closing (it reconnects after missing a few).
 */
const HEARTBEAT_MS = 15_000;

function frame(m: DisplayMessage): string {
  return `id: ${m.id}\nevent: hall\ndata: ${JSON.stringify({ state: m.state, calls: m.calls })}\n\n`;
}

/** The browser's Last-Event-ID header on its own reconnects; `?lastEventId=` otherwise. */
function lastEventIdOf(req: FastifyRequest): number | null {
  const raw = req.headers['last-event-id'];
  const v = typeof raw === 'string' ? Number(raw) : Number.NaN;
  if (Number.isSafeInteger(v) && v >= 0) return v;
  const q = (req.query as { lastEventId?: number } | undefined)?.lastEventId;
  return q ?? null;
}

/**
 * The hall display as server-sent events. The reply is taken over from Fastify (no
 * serializer, no compression, no timeout: the socket stays open), keeping the headers the
 * app's hooks already set (helmet's, the request id). The first message is the current
 * state, with the calls a reconnecting screen missed when it sends Last-Event-ID; then one
 * message per committed change. Messages that arrive while the first is being read wait for
 * it, so a screen never steps back to an older state. A closed connection unsubscribes.
 */
export async function streamDisplay(
  db: Db,
  hub: DisplayHub,
  point: HallPoint,
  req: FastifyRequest,
  reply: FastifyReply,
): Promise<void> {
  const lastId = lastEventIdOf(req);
  reply.hijack();
  const res = reply.raw;
  const headers: Record<string, string | number | string[]> = {};
  for (const [k, v] of Object.entries(reply.getHeaders())) if (v !== undefined) headers[k] = v;
  res.writeHead(200, {
    ...headers,
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  req.raw.socket.setTimeout(0);
  req.raw.socket.setNoDelay(true);
  req.raw.socket.setKeepAlive(true);
  res.write('retry: 3000\n\n');

  let closed = false;
  let ready = false;
  let sentId = -1;
  const held: DisplayMessage[] = [];
  const send = (m: DisplayMessage) => {
    if (closed) return;
    if (!ready) {
      held.push(m);
      return;
    }
    if (m.id < sentId && m.calls.length === 0) return;
    sentId = Math.max(sentId, m.id);
    res.write(frame(m));
  };
  const unsubscribe = hub.subscribe(point.id, send);
  const heartbeat = setInterval(() => {
    if (!closed) res.write(`event: ping\ndata: ${Date.now()}\n\n`);
  }, HEARTBEAT_MS);
  const forget = hub.onShutdown(() => close());
  function close() {
    if (closed) return;
    closed = true;
    clearInterval(heartbeat);
    unsubscribe();
    forget();
    res.end();
  }
  req.raw.on('close', close);
  res.on('close', close);
  res.on('error', close);

  try {
    const state = await displayState(db, point);
    const calls = lastId !== null ? await callsSince(db, point.id, lastId) : [];
    ready = true;
    send({ id: state.lastEventId, state, calls });
    for (const m of held.splice(0)) send(m);
  } catch (err) {
    req.log.error({ err }, 'hall display stream could not start');
    close();
  }
}

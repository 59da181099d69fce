import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkSignature, H, PLATFORM_SYSTEM_ID } from '../signing.ts';
import {
  type CaseMessage,
  type Received,
  SIM_SYSTEMS,
  SimSystem,
  type SimSystemConfig,
} from './sim-system.ts';

export {
  type Received,
  SIM_SYSTEMS,
  type SimAnswer,
  type SimSystemConfig,
  simSecret,
} from './sim-system.ts';

/**
 * `yimen dept-sim`: fake department systems over real HTTP — HR & social security, medical
 * insurance, civil affairs, public security — each with its own latency, error rate, answer,
 * "answer later" delay and downtime. They check the platform's signatures, deduplicate on
 * the message id (a repeat gets the first answer), and call back through the inbound API.
 * Tests and the demo use it; nothing is mocked.
 *
 *   POST /<system>/cases     a case from the platform (signed)
 *   POST /<system>/events    a case event it subscribed to (signed)
 *   POST /_hooks/<name>      a webhook receiver, recording what arrives
 *   GET  /_sim/state         what each system received; POST /_sim/<system>/config changes one
 */
export interface SimulatorOptions {
  port?: number;
  host?: string;
  /** Where callbacks go; without it, the callback URLs in each message. */
  platformUrl?: string;
  systems?: (Partial<SimSystemConfig> & { key: string })[];
  log?: (line: string) => void;
}

export interface Hook {
  name: string;
  messageId: string | null;
  body: unknown;
  headers: http.IncomingHttpHeaders;
}

export interface Simulator {
  url: string;
  baseUrlOf(key: string): string;
  config(key: string): SimSystemConfig;
  configure(key: string, patch: Partial<SimSystemConfig>): void;
  received(key: string): Received[];
  /** Requests a system is answering right now. */
  inFlight(key: string): number;
  /** How many times each message id arrived, over all systems. */
  countsByMessageId(): Map<string, number>;
  hooks: Hook[];
  callbacks(key: string): SimSystem['callbacks'];
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res: http.ServerResponse, status: number, body: unknown) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

const json = (raw: Buffer) => JSON.parse(raw.toString('utf8') || 'null');

export async function startSimulator(opts: SimulatorOptions = {}): Promise<Simulator> {
  const log = opts.log ?? (() => {});
  const systems = new Map<string, SimSystem>();
  for (const g of opts.systems ?? SIM_SYSTEMS.map((s) => ({ key: s.key })))
    systems.set(g.key, new SimSystem(g.key, g, opts.platformUrl, log));
  const hooks: Hook[] = [];

  function control(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    parts: string[],
    raw: Buffer,
  ) {
    if (req.method === 'GET' && parts[1] === 'state') {
      const state = [...systems].map(([k, s]) => [
        k,
        {
          config: { ...s.config, secret: undefined },
          received: s.received,
          callbacks: s.callbacks,
        },
      ]);
      return send(res, 200, {
        systems: Object.fromEntries(state),
        hooks: hooks.map(({ name, messageId, body }) => ({ name, messageId, body })),
      });
    }
    const s = systems.get(parts[1] ?? '');
    if (req.method === 'POST' && s && parts[2] === 'config') {
      Object.assign(s.config, json(raw) ?? {});
      return send(res, 200, { ...s.config, secret: undefined });
    }
    return send(res, 404, { error: 'no such endpoint' });
  }

  async function department(
    s: SimSystem,
    req: http.IncomingMessage,
    res: http.ServerResponse,
    path: string,
    raw: Buffer,
  ) {
    if (s.config.latencyMs > 0) await sleep(s.config.latencyMs);
    const problem =
      req.headers[H.system] !== PLATFORM_SYSTEM_ID
        ? 'unknown caller'
        : checkSignature(
            req.headers,
            { method: 'POST', path, body: raw },
            {
              kind: 'hmac',
              secret: s.config.secret,
            },
          );
    if (problem) {
      s.refused++;
      return send(res, 401, { error: problem });
    }
    if (path.endsWith('/events')) {
      const id = req.headers[H.messageId];
      s.onEvent(typeof id === 'string' ? id : '', json(raw));
      return send(res, 200, { ok: true });
    }
    const answer = s.onCase(json(raw) as CaseMessage);
    return send(res, answer.status, answer.body);
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://sim');
    const parts = url.pathname.split('/').filter(Boolean);
    const raw = await readBody(req);
    if (parts[0] === '_sim') return control(req, res, parts, raw);
    if (req.method === 'POST' && parts[0] === '_hooks' && parts[1]) {
      const id = req.headers[H.messageId];
      hooks.push({
        name: parts[1],
        messageId: typeof id === 'string' ? id : null,
        body: json(raw),
        headers: req.headers,
      });
      return send(res, 200, { ok: true });
    }
    const s = systems.get(parts[0] ?? '');
    if (!s || req.method !== 'POST' || !['cases', 'events'].includes(parts[1] ?? ''))
      return send(res, 404, { error: 'no such endpoint' });
    if (s.config.down) {
      req.socket.destroy();
      return;
    }
    s.inFlight++;
    try {
      await department(s, req, res, url.pathname + url.search, raw);
    } finally {
      s.inFlight--;
    }
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err) => {
      log(`simulator error: ${(err as Error).message}`);
      if (!res.headersSent) send(res, 500, { error: 'simulator error' });
    });
  });
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, host, resolve));
  const url = `http://${host}:${(server.address() as AddressInfo).port}`;
  const system = (key: string) => {
    const s = systems.get(key);
    if (!s) throw new Error(`the simulator runs no system ${key}`);
    return s;
  };
  return {
    url,
    baseUrlOf: (key) => `${url}/${key}`,
    config: (key) => system(key).config,
    configure: (key, patch) => Object.assign(system(key).config, patch),
    received: (key) => system(key).received,
    inFlight: (key) => system(key).inFlight,
    countsByMessageId() {
      const counts = new Map<string, number>();
      for (const s of systems.values())
        for (const r of s.received) counts.set(r.messageId, (counts.get(r.messageId) ?? 0) + 1);
      return counts;
    },
    hooks,
    callbacks: (key) => system(key).callbacks,
    async close() {
      for (const s of systems.values()) s.closing = true;
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

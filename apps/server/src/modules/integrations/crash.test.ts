import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { TEST_BACKEND, withDatabase } from '../../test/harness.ts';
import { type Simulator, startSimulator } from './simulator/simulator.ts';

/**
 * The server is killed (kill -9) while the dispatcher is mid-delivery, then restarted:
 * every committed message is delivered at least once, and each case ends in the right state
 * exactly once. A real `yimen serve` process, on PGlite or (with TEST_DATABASE_URL) on
 * PostgreSQL, and the simulator over real HTTP.
 */
const BIN = fileURLToPath(new URL('../../../bin/yimen.js', import.meta.url));
const ROOT = fileURLToPath(new URL('../../../../../', import.meta.url));
const CASES = 8;
const cleanups: (() => Promise<void>)[] = [];
after(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => {});
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

async function databaseEnv(dataDir: string): Promise<Record<string, string>> {
  if (TEST_BACKEND !== 'postgres') return {};
  const adminUrl = process.env.TEST_DATABASE_URL!;
  const name = `yimen_crash_${process.pid}_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  cleanups.push(async () => {
    const c = new pg.Client({ connectionString: adminUrl });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.end();
  });
  return {
    DATABASE_URL: withDatabase(adminUrl, name),
    YIMEN_SECRET_KEY: randomBytes(32).toString('base64'),
    YIMEN_DATA_DIR: dataDir,
  };
}

function serve(env: Record<string, string>): { child: ChildProcess; output: () => string } {
  const { NATS_URL: _n, TEST_DATABASE_URL: _t, DATABASE_URL: _d, ...inherited } = process.env;
  const child = spawn(process.execPath, [BIN, 'serve'], {
    cwd: ROOT,
    env: { ...inherited, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => {
    out += d;
  });
  child.stderr!.on('data', (d) => {
    out += d;
  });
  cleanups.push(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return { child, output: () => out.slice(-4000) };
}

async function waitUntil<T>(
  what: string,
  fn: () => Promise<T | undefined>,
  timeoutMs: number,
  detail = () => '',
) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const v = await fn().catch(() => undefined);
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`timed out waiting for ${what}\n${detail()}`);
}

function client(base: string) {
  let token = '';
  const api = async (method: string, url: string, body?: unknown, key?: string) => {
    const res = await fetch(`${base}${url}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(key ? { 'idempotency-key': key } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    // biome-ignore lint/suspicious/noExplicitAny: test reads JSON loosely
    return { status: res.status, data: (await res.json()) as any };
  };
  return {
    api,
    async upload(content: string): Promise<string> {
      const res = await fetch(`${base}/api/v1/files`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/pdf' },
        body: content,
      });
      assert.equal(res.status, 201, await res.clone().text());
      return ((await res.json()) as { sha256: string }).sha256;
    },
    async signIn(username: string) {
      const r = await api('POST', '/api/v1/auth/login', {
        username,
        password: 'yimen-demo',
        tokenType: 'bearer',
      });
      assert.equal(r.status, 200, JSON.stringify(r.data));
      token = r.data.token;
    },
  };
}

describe('a crash in the middle of a delivery', () => {
  it('kill -9 mid-delivery, restart: every committed message delivered, each case right once', {
    timeout: 240_000,
  }, async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'yimen-crash-'));
    cleanups.push(async () => fs.rmSync(dataDir, { recursive: true, force: true }));
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const sim: Simulator = await startSimulator({
      platformUrl: base,
      systems: [{ key: 'hrss', latencyMs: 1500, answer: 'accepted' }],
    });
    cleanups.push(() => sim.close());
    const env = {
      YIMEN_DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      YIMEN_DEMO: '1',
      LOG_LEVEL: 'warn',
      YIMEN_PUBLIC_URL: base,
      YIMEN_OUTBOX_LEASE_MS: '4000',
      YIMEN_DISPATCH_CONCURRENCY: '2',
      ...(await databaseEnv(dataDir)),
    };
    let server = serve(env);
    const healthy = () =>
      waitUntil(
        'the server',
        async () => ((await fetch(`${base}/health`)).ok ? true : undefined),
        120_000,
        server.output,
      );
    await healthy();

    const admin = client(base);
    await admin.signIn('admin');
    const registered = await admin.api('POST', '/api/v1/integrations/systems', {
      code: 'hrss-crash',
      systemKey: 'hrss',
      name: '人社',
      department: '人社',
      baseUrl: sim.baseUrlOf('hrss'),
      clientId: 'hrss-sim',
      auth: { kind: 'hmac', secret: sim.config('hrss').secret },
      timeoutMs: 3000,
    });
    assert.equal(registered.status, 201, JSON.stringify(registered.data));

    const clerk = client(base);
    await clerk.signIn('clerk.xiushan');
    const found = await clerk.api(
      'GET',
      `/api/v1/residents?q=${encodeURIComponent('陈志强')}&within=430922101224`,
    );
    const chen = found.data.items[0].id;
    const idNumber = (await clerk.api('GET', `/api/v1/residents/${chen}`)).data.idNumber;
    const scan = await clerk.upload(`%PDF-1.4\n% scan ${randomUUID()}\n`);
    const ids: string[] = [];
    for (let i = 0; i < CASES; i++) {
      const submitted = await clerk.api(
        'POST',
        '/api/v1/applications',
        {
          itemCode: '4309-RS-GG-001',
          channel: 'counter',
          applicantId: chen,
          formData: {
            applicantName: '陈志强',
            idNumber,
            mobile: '13800000006',
            residenceVillage: '430922101224',
            registrationType: 'unemployment',
            employmentStatus: 'none',
            effectiveDate: '2026-11-02',
            education: 'senior',
          },
          materials: [{ key: 'idCard', sha256: scan }],
        },
        randomUUID(),
      );
      assert.equal(submitted.status, 201, JSON.stringify(submitted.data));
      const accepted = await clerk.api(
        'POST',
        `/api/v1/applications/${submitted.data.id}/actions/accept`,
        { version: submitted.data.version },
        randomUUID(),
      );
      assert.equal(accepted.status, 200, JSON.stringify(accepted.data));
      ids.push(submitted.data.id);
    }

    // Mid-delivery: the department is answering (1.5 s latency) and the server dies.
    await waitUntil(
      'a delivery in flight',
      async () => (sim.inFlight('hrss') > 0 ? true : undefined),
      30_000,
      server.output,
    );
    server.child.kill('SIGKILL');
    await new Promise((r) => server.child.once('exit', r));

    server = serve(env);
    await healthy();
    await admin.signIn('admin');
    await clerk.signIn('clerk.xiushan');
    const statuses = async () =>
      Promise.all(
        ids.map(async (id) => (await clerk.api('GET', `/api/v1/applications/${id}`)).data),
      );
    const done = await waitUntil(
      'every case answered',
      async () => {
        const all = await statuses();
        return all.every((a) => a.status === 'pending_decision') ? all : undefined;
      },
      90_000,
      server.output,
    );
    for (const a of done) {
      const steps = a.history.filter((h: { action: string }) => h.action === 'departmentAccept');
      assert.equal(steps.length, 1, `${a.applicationNo}: answered once`);
    }
    const sent = await admin.api(
      'GET',
      '/api/v1/integrations/outbox?status=sent&topic=department&limit=200',
    );
    assert.equal(sent.data.items.length, CASES, 'every department message is marked sent');
    const counts = sim.countsByMessageId();
    for (const row of sent.data.items)
      assert.ok((counts.get(row.messageId) ?? 0) >= 1, `${row.messageId} delivered`);
    assert.ok(
      [...counts.values()].some((n) => n >= 2),
      'the message in flight at the crash was sent again',
    );
    // The last answers' own messages (their SMS notices) may still be on their way: nothing
    // may stay pending, but the dispatcher gets the time to send them.
    await waitUntil(
      'nothing left behind',
      async () => {
        const pending = await admin.api('GET', '/api/v1/integrations/outbox?status=pending');
        return pending.data.summary.every((s: { pending: number }) => s.pending === 0)
          ? true
          : undefined;
      },
      30_000,
      server.output,
    );

    server.child.kill('SIGTERM');
    await new Promise((r) => server.child.once('exit', r));
  });
});

import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { AppContext } from '../../apps/server/src/app-context.ts';
import { loadConfig } from '../../apps/server/src/config.ts';
import { deriveKeys } from '../../apps/server/src/crypto/keys.ts';
import { type Database, openDatabase } from '../../apps/server/src/db/connection.ts';
import { migrate } from '../../apps/server/src/db/migrate.ts';
import { postSigned } from '../../apps/server/src/modules/integrations/http-client.ts';
import { drainOutbox, hubHandlers } from '../../apps/server/src/modules/integrations/hub.ts';
import { simSecret } from '../../apps/server/src/modules/integrations/simulator/sim-system.ts';
import { createAppContext } from '../../apps/server/src/wiring.ts';
import { Cleanup, tempDir } from '../lib/cleanup.ts';
import { createFreshDatabase, dropDatabase, serverVersion } from '../lib/postgres.ts';
import { REPO_ROOT, terminate, track, YIMEN_BIN, yimenEnv } from '../lib/processes.ts';
import { freePort } from '../lib/server.ts';
import { round } from '../lib/stats.ts';
import type { Benchmark, BenchmarkResult, Row, RunContext } from '../lib/types.ts';

/** Messages per throughput run, and the backlog the issue asks about. */
const THROUGHPUT_MESSAGES = 2_000;
const BACKLOG_MESSAGES = 100_000;
/** Four messages per case: the dispatcher keeps each case's order while it drains. */
const MESSAGES_PER_CASE = 4;
const LANES = [1, 8];

/** `yimen dept-sim` in its own process, so the receiver does not share our event loop. */
async function startSim(ctx: RunContext, cleanup: Cleanup): Promise<string> {
  const port = await freePort();
  const child = track(
    spawn(process.execPath, [YIMEN_BIN, 'dept-sim', '--port', String(port), '--systems', 'hrss'], {
      cwd: REPO_ROOT,
      env: yimenEnv({}),
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
  cleanup.defer('stop dept-sim', () => terminate(child));
  await new Promise<void>((resolve, reject) => {
    let seen = '';
    child.stdout!.on('data', (d: Buffer) => {
      seen += d.toString();
      if (seen.includes('simulated department systems at')) resolve();
    });
    child.stderr!.on('data', () => {});
    child.once('exit', (code) => reject(new Error(`dept-sim exited (${code}): ${seen}`)));
    ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason), { once: true });
  });
  return `http://127.0.0.1:${port}/hrss`;
}

interface Hub {
  ctx: AppContext;
  systemId: string;
  handlers: ReturnType<typeof hubHandlers>;
}

async function openHub(database: Database, baseUrl: string): Promise<Hub> {
  await migrate(database);
  const keys = deriveKeys(randomBytes(32));
  const config = loadConfig({ YIMEN_DATA_DIR: '/tmp', LOG_LEVEL: 'silent' });
  const ctx = createAppContext({ config, database, keys });
  const systemId = randomUUID();
  await database.db
    .insertInto('department_system')
    .values({
      id: systemId,
      code: 'hrss-bench',
      system_key: 'hrss',
      name: '人社（模拟）',
      department: '人社',
      base_url: baseUrl,
      client_id: 'hrss-sim',
      auth_kind: 'hmac',
      secret_cipher: keys.connector.encrypt(Buffer.from(simSecret('hrss')), systemId),
      events: ['submitted'],
    })
    .execute();
  return { ctx, systemId, handlers: hubHandlers(ctx) };
}

/** `n` case events for the connector, written the way emitEvent writes them, in one statement. */
async function enqueue(hub: Hub, n: number, tag: string): Promise<number> {
  const t0 = performance.now();
  await sql`
    INSERT INTO outbox (topic, target_id, ordering_key, payload)
    SELECT 'webhook', ${hub.systemId}::uuid, ${`bench:${tag}:`} || (g / ${MESSAGES_PER_CASE}),
      jsonb_build_object('kind', 'system', 'event', jsonb_build_object(
        'eventId', g::text, 'event', 'submitted', 'occurredAt', now(), 'action', 'submit',
        'application', jsonb_build_object('id', gen_random_uuid(), 'applicationNo', ${`BENCH-${tag}-`} || g,
          'itemCode', '4309-RS-GG-001', 'itemName', '就业失业登记', 'status', 'pending_acceptance',
          'regionCode', '430922101')))
    FROM generate_series(1, ${n}::int) g`.execute(hub.ctx.database.db);
  return performance.now() - t0;
}

async function pendingCount(hub: Hub): Promise<number> {
  const r = await sql<{
    n: number;
  }>`SELECT count(*)::int AS n FROM outbox WHERE status <> 'sent'`.execute(hub.ctx.database.db);
  return r.rows[0]!.n;
}

async function drain(hub: Hub, lanes: number): Promise<number> {
  const t0 = performance.now();
  await drainOutbox(hub.ctx, hub.handlers.handlers, {
    concurrency: lanes,
    batchSize: Math.max(20, lanes * 4),
    maxPasses: 1_000_000,
  });
  const ms = performance.now() - t0;
  const left = await pendingCount(hub);
  if (left > 0) throw new Error(`${left} messages not delivered`);
  return ms;
}

/** The same signed POSTs, straight from a loop: no database, no outbox, no log. */
async function bareLoop(baseUrl: string, n: number, lanes: number): Promise<number> {
  const key = { kind: 'hmac' as const, secret: simSecret('hrss') };
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: lanes }, async () => {
      while (next < n) {
        const i = next++;
        const body = JSON.stringify({
          eventId: String(i),
          event: 'submitted',
          occurredAt: new Date().toISOString(),
          action: 'submit',
          application: {
            id: randomUUID(),
            applicationNo: `BARE-${i}`,
            itemCode: '4309-RS-GG-001',
            itemName: '就业失业登记',
            status: 'pending_acceptance',
            regionCode: '430922101',
          },
        });
        const x = await postSigned({
          url: `${baseUrl}/events`,
          body,
          key,
          messageId: randomUUID(),
          requestId: `bare-${i}`,
          timeoutMs: 10_000,
        });
        if (x.statusCode !== 200) throw new Error(`bare post: ${x.statusCode} ${x.error}`);
      }
    }),
  );
  return performance.now() - t0;
}

async function measure(
  ctx: RunContext,
  label: string,
  database: Database,
  simUrl: string,
): Promise<Row[]> {
  const hub = await openHub(database, simUrl);
  try {
    const rows: Row[] = [];
    const rate = (n: number, ms: number) => round(n / (ms / 1000), 0);
    for (const lanes of LANES) {
      ctx.log(`${label}: ${THROUGHPUT_MESSAGES} messages, ${lanes} lane(s)`);
      await enqueue(hub, THROUGHPUT_MESSAGES, `t${lanes}`);
      const hubMs = await drain(hub, lanes);
      const bareMs = await bareLoop(simUrl, THROUGHPUT_MESSAGES, lanes);
      rows.push({
        values: {
          backend: label,
          what: `throughput, ${lanes} in flight`,
          messages: THROUGHPUT_MESSAGES,
          hub: rate(THROUGHPUT_MESSAGES, hubMs),
          bare: rate(THROUGHPUT_MESSAGES, bareMs),
          seconds: round(hubMs / 1000, 1),
        },
      });
    }
    ctx.log(`${label}: backlog of ${BACKLOG_MESSAGES}`);
    const enqueueMs = await enqueue(hub, BACKLOG_MESSAGES, 'backlog');
    const drainMs = await drain(hub, 8);
    rows.push({
      values: {
        backend: label,
        what: `drain a backlog of ${BACKLOG_MESSAGES.toLocaleString('en')} (8 in flight; queued in ${round(enqueueMs / 1000, 1)} s)`,
        messages: BACKLOG_MESSAGES,
        hub: rate(BACKLOG_MESSAGES, drainMs),
        bare: null,
        seconds: round(drainMs / 1000, 1),
      },
    });
    return rows;
  } finally {
    await hub.handlers.close();
  }
}

export const dispatch: Benchmark = {
  name: 'dispatch',
  description:
    'The integration hub’s outbox dispatcher delivering signed case events to `yimen dept-sim` ' +
    '(its own process, checking every signature) over loopback HTTP: claim with FOR UPDATE SKIP ' +
    'LOCKED, sign, POST, log the exchange, mark sent — beside a bare loop POSTing the same signed ' +
    'messages with no database. Then a backlog of 100,000 queued messages, four per case, drained ' +
    'in per-case order. The dispatcher runs in the bench process on each backend.',
  timeoutMs: 45 * 60_000,
  async run(ctx): Promise<BenchmarkResult> {
    const cleanup = new Cleanup();
    try {
      const simUrl = await startSim(ctx, cleanup);
      const rows: Row[] = [];
      const pglite = await openDatabase({
        kind: 'pglite',
        dataDir: `${tempDir(cleanup, 'dispatch')}/db`,
      });
      cleanup.defer('close PGlite', () => pglite.close());
      rows.push(...(await measure(ctx, 'PGlite', pglite, simUrl)));
      const notes: string[] = [];
      if (await serverVersion()) {
        const name = 'yimen_bench_dispatch';
        cleanup.defer(`drop ${name}`, () => dropDatabase(name));
        const pg = await openDatabase({ kind: 'postgres', url: await createFreshDatabase(name) });
        cleanup.defer('close PostgreSQL pool', () => pg.close());
        rows.push(...(await measure(ctx, 'PostgreSQL', pg, simUrl)));
      } else notes.push('PostgreSQL was not reachable: only the embedded database was measured.');
      return {
        tables: [
          {
            title: 'Outbox dispatcher to the department simulator',
            description:
              'Messages per second, each signed, POSTed, answered 200 after the simulator checked ' +
              'its signature, logged in the message log and marked sent. "bare" is a loop doing the ' +
              'same POSTs with no outbox: the gap is the price of delivering from the database.',
            columns: [
              { key: 'backend', label: 'database' },
              { key: 'what', label: 'run' },
              { key: 'messages', label: 'messages', digits: 0 },
              { key: 'hub', label: 'dispatcher', unit: 'msg/s', digits: 0 },
              { key: 'bare', label: 'bare loop', unit: 'msg/s', digits: 0 },
              { key: 'seconds', label: 'dispatcher time', unit: 's', digits: 1 },
            ],
            rows,
          },
        ],
        notes: [
          ...notes,
          'Every delivery writes a message_log row (headers, masked bodies, SHA-256 of both) and ' +
            'settles its outbox row; a claimed batch is settled in one transaction (one UPDATE for ' +
            'the sent rows, one INSERT for their log rows, one UPDATE waking each case’s next message).',
        ],
      };
    } finally {
      await cleanup.run(ctx.log);
    }
  },
};

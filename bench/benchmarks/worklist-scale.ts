import pg from 'pg';
import { DEMO_PASSWORD } from '../lib/api.ts';
import { dropHelpers } from '../lib/bulk-admin.ts';
import { prepareBulk } from '../lib/bulk-load.ts';
import { BENCH_PASSWORD } from '../lib/chains.ts';
import { Cleanup } from '../lib/cleanup.ts';
import { requirePostgres } from '../lib/country-db.ts';
import { LOAD_COLUMNS, type LoadTarget, loadRow } from '../lib/load-row.ts';
import { freeBytesForDatabase, type LoadStep, loadStep } from '../lib/scale-load.ts';
import { byKind, type Kind, loadedTable, p99Table, type SizeResult } from '../lib/scale-report.ts';
import type { Benchmark, BenchmarkResult, RunContext, Table } from '../lib/types.ts';
import { importBenchCatalog, startYimen, villageCodes, type Yimen } from '../lib/yimen.ts';
import { searchPaths } from './catalog-search.ts';

const RESIDENTS_PER_VILLAGE = 100;
/** This machine's CPUs: latency is then the service time with little queueing. */
const CONCURRENCY = 2;
/** A row stops after this long, so a slow endpoint at 10 M cannot eat the budget. */
const ROW_MS = 30_000;
/** Minutes the benchmark may take; BENCH_SCALE_BUDGET_MIN shortens it (it stops growing, and says so). */
const BUDGET_MS = Number(process.env.BENCH_SCALE_BUDGET_MIN ?? 150) * 60_000;
/** Kept free of the budget for the last step's measuring and the cleanup. */
const MARGIN_MS = 10 * 60_000;

interface Users {
  township: string[];
  village: string[];
  leader: string;
}

/** The busiest township centre (open cases it decides) and village station (open cases it hands over). */
async function busiest(url: string): Promise<{ township: string; village: string }> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const top = async (column: string, kind: string) => {
      const r = await c.query<{ code: string }>(
        `SELECT sp.code FROM application a JOIN service_point sp ON sp.id = a.${column}
         WHERE sp.kind = $1 AND a.status NOT IN ('concluded', 'refused', 'withdrawn')
         GROUP BY sp.code ORDER BY count(*) DESC, sp.code LIMIT 1`,
        [kind],
      );
      return r.rows[0]!.code;
    };
    return {
      township: await top('deciding_sp_id', 'township_centre'),
      village: await top('deliver_sp_id', 'village_station'),
    };
  } finally {
    await c.end();
  }
}

/** Demo staff of 修山镇 and 沧水铺镇, plus an approver and an agent where the work piles up. */
async function signInUsers(y: Yimen, url: string): Promise<Users & { where: string }> {
  const admin = await y.api.login('admin', DEMO_PASSWORD);
  const top = await busiest(url);
  const create = async (username: string, code: string, role: string) => {
    await y.api.expect(201, 'POST', '/api/v1/users', {
      token: admin,
      body: {
        username,
        displayName: username,
        password: BENCH_PASSWORD,
        servicePointCode: code,
        roles: [role],
      },
    });
    return y.api.login(username, BENCH_PASSWORD);
  };
  const login = (u: string) => y.api.login(u, DEMO_PASSWORD);
  return {
    township: [
      await login('approver.xiushan'),
      await login('approver.cangshuipu'),
      await create('bench.approver.busiest', top.township, 'township_approver'),
    ],
    village: [
      await login('agent.sanguanqiao'),
      await login('agent.jinshan'),
      await create('bench.agent.busiest', top.village, 'village_agent'),
    ],
    leader: await login('leader'),
    where: `busiest township centre ${top.township}, busiest village station ${top.village}`,
  };
}

const rotate = (tokens: string[]) => (i: number) => ({
  authorization: `Bearer ${tokens[i % tokens.length]}`,
});

async function measure(
  ctx: RunContext,
  y: Yimen,
  users: Users,
  villages: string[],
): Promise<Map<Kind, Awaited<ReturnType<typeof loadRow>>>> {
  const target: LoadTarget = { ...y.server, backends: y.backends };
  const out = new Map<Kind, Awaited<ReturnType<typeof loadRow>>>();
  for (const kind of byKind) {
    const tokens =
      kind.who === 'township'
        ? users.township
        : kind.who === 'village'
          ? users.village
          : kind.who === 'leader'
            ? [users.leader]
            : [];
    const path =
      kind.path === 'search'
        ? searchPaths(['keywords', 'pinyin', 'initials'], villages, 21)
        : () => kind.path;
    const headers = tokens.length ? rotate(tokens) : undefined;
    const common = { path, ...(headers ? { headers } : {}), concurrency: CONCURRENCY };
    await loadRow(ctx, target, 'warm-up', { ...common, requests: 20 });
    const row = await loadRow(ctx, target, kind.name, {
      ...common,
      requests: ctx.profile.scaleRequests,
      durationMs: ROW_MS,
      p99Below: kind.p99Below,
    });
    out.set(kind, row);
  }
  return out;
}

export const worklistScale: Benchmark = {
  name: 'worklist-scale',
  description:
    'Cases bulk-loaded straight into PostgreSQL with SQL (generate_series, INSERT … SELECT: ' +
    'bench/lib/bulk-load.ts) at growing sizes, then the screens that read them through HTTP: ' +
    '`GET /api/v1/worklist?box=…` for township approvers and village agents (the demo staff of ' +
    '修山镇 and 沧水铺镇, and staff created at the busiest centre and station), the leader’s ' +
    '`GET /api/v1/stats/overview?region=…`, and catalogue search. Each case has a valid item ' +
    '(city-wide items of the 1,088-item catalogue, drawn by popularity), applicant (100 ' +
    'bulk-inserted villagers per village, synthetic ciphertext and a unique HMAC), and the ' +
    'service points its routing gives (1,446 village stations, 98 township centres, 8 county ' +
    'centres); its state, action log, clock, due date and rating agree with its age against ' +
    'the item’s time limit, and stats_monthly is rebuilt from the cases as the rollup counts ' +
    'them. Not loaded: audit rows, notices, outbox, idempotency keys, certificates, scans ' +
    '(none of which these reads touch). PostgreSQL only: loading PGlite would take too long.',
  timeoutMs: BUDGET_MS,
  async run(ctx): Promise<BenchmarkResult> {
    await requirePostgres();
    const started = performance.now();
    const cleanup = new Cleanup();
    try {
      const y = await startYimen(ctx, cleanup, { backend: 'postgres', label: 'worklist-scale' });
      const admin = await y.api.login('admin', DEMO_PASSWORD);
      await importBenchCatalog(ctx, y, admin);
      const villages = await villageCodes(y);
      await y.stop();
      const url = y.url!;
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      const shape = {
        ...(await prepareBulk(c, RESIDENTS_PER_VILLAGE)),
        residents: RESIDENTS_PER_VILLAGE,
      };
      const results: SizeResult[] = [];
      const notes: string[] = [];
      let users: (Users & { where: string }) | null = null;
      let loaded = 0;
      let last: { step: LoadStep; cases: number; measureMs: number } | null = null;
      for (const size of ctx.profile.scaleSizes) {
        if (last) {
          const projected =
            (last.step.ms / last.cases) * (size - loaded) * 1.2 + last.measureMs * 1.5;
          const left = BUDGET_MS - (performance.now() - started) - MARGIN_MS;
          const perCase = last.step.census.databaseBytes / loaded;
          const need = perCase * (size - loaded) * 1.5;
          const free = await freeBytesForDatabase(url);
          const why =
            projected > left
              ? `loading and measuring would take about ${Math.round(projected / 60_000)} min, ${Math.round(Math.max(0, left) / 60_000)} min are left of the ${BUDGET_MS / 60_000}-min budget`
              : free !== null && need > free * 0.8
                ? `it needs about ${Math.round(need / 1024 ** 3)} GiB, ${Math.round(free / 1024 ** 3)} GiB are free`
                : null;
          if (why) {
            notes.push(`${size.toLocaleString('en-US')} cases skipped: ${why}.`);
            ctx.log(`skipping ${size}: ${why}`);
            break;
          }
        }
        ctx.log(
          `loading cases ${loaded.toLocaleString('en-US')} → ${size.toLocaleString('en-US')}`,
        );
        const step = await loadStep(ctx, url, shape, loaded, size);
        const cases = size - loaded;
        loaded = size;
        const t0 = performance.now();
        await y.start();
        users ??= await signInUsers(y, url);
        const rows = await measure(ctx, y, users, villages);
        await y.stop();
        last = { step, cases, measureMs: performance.now() - t0 };
        results.push({ size, step, cases, rows });
      }
      await dropHelpers(c);
      await c.end();
      if (users)
        notes.unshift(`Staff measured: demo approvers and agents, and the ${users.where}.`);
      if (results.some((r) => !r.step.fkChecksSkipped))
        notes.push('Foreign keys were checked row by row during the load.');
      else
        notes.push(
          'Loading connections skipped the row-by-row foreign-key triggers (session_replication_role = replica); anti-joins afterwards found every key valid.',
        );
      notes.push(...results.flatMap((r) => [...r.rows.values()].flatMap((m) => m.errors)));
      const tables: Table[] = [p99Table(results), loadedTable(results)];
      for (const r of results) {
        tables.push({
          title: `${r.size.toLocaleString('en-US')} cases`,
          description: `Concurrency ${CONCURRENCY}, up to ${ctx.profile.scaleRequests.toLocaleString('en-US')} requests or ${ROW_MS / 1000} s per row, after 20 warm-up requests.`,
          columns: LOAD_COLUMNS,
          rows: [...r.rows.values()].map((m) => m.row),
        });
      }
      return { tables, notes };
    } finally {
      await cleanup.run(ctx.log);
    }
  },
};

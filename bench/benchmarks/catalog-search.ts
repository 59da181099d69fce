import { DEMO_PASSWORD } from '../lib/api.ts';
import { Cleanup } from '../lib/cleanup.ts';
import { requirePostgres } from '../lib/country-db.ts';
import { cpuBudgetNote, LOAD_COLUMNS, type LoadTarget, loadRow } from '../lib/load-row.ts';
import { BARE_SERVER_ARGS, startServer } from '../lib/server.ts';
import { seededRandom } from '../lib/stats.ts';
import type { Benchmark, BenchmarkResult, Row, RunContext, Table } from '../lib/types.ts';
import { type Backend, importBenchCatalog, startYimen, villageCodes } from '../lib/yimen.ts';

/** Search sits under every keystroke of the item picker: it must stay far below a frame. */
const TARGET_P99_MS = 5;

/**
 * What villagers and agents type: Chinese keywords, full pinyin, pinyin initials. Some find
 * many items, some few, a few nothing (a miss is a real query too).
 */
export const SEARCH_TERMS = {
  keywords: ['身份证', '补贴', '登记', '证明', '养老', '低保', '医疗', '户口', '残疾', '许可'],
  pinyin: ['shengyu', 'yanglao', 'dibao', 'hukou', 'canji', 'yiliao', 'butie', 'dengji'],
  initials: ['sfz', 'gljt', 'sydj', 'dbsq', 'cjr', 'ylbx', 'hkqy', 'lmcf'],
} as const;
type Kind = keyof typeof SEARCH_TERMS;

/** Paths mixing the terms of `kinds`, half of them with `&region=` a village code. */
export function searchPaths(kinds: Kind[], villages: string[], seed: number): () => string {
  const random = seededRandom(seed);
  const terms = kinds.flatMap((k) => SEARCH_TERMS[k]);
  return () => {
    const q = encodeURIComponent(terms[Math.floor(random() * terms.length)]!);
    const region =
      random() < 0.5 ? `&region=${villages[Math.floor(random() * villages.length)]}` : '';
    return `/api/v1/catalog/items?q=${q}${region}`;
  };
}

interface Part {
  table: Table;
  notes: string[];
}

async function onBackend(
  ctx: RunContext,
  cleanup: Cleanup,
  backend: Backend,
  floor: Row[],
): Promise<Part> {
  const y = await startYimen(ctx, cleanup, { backend, label: 'catalog-search' });
  const admin = await y.api.login('admin', DEMO_PASSWORD);
  const imported = await importBenchCatalog(ctx, y, admin);
  ctx.log(`imported ${imported.items} items in ${(imported.ms / 1000).toFixed(1)} s`);
  const villages = await villageCodes(y);
  const hits: string[] = [];
  for (const [kind, terms] of Object.entries(SEARCH_TERMS)) {
    const counts: string[] = [];
    for (const t of terms) {
      const r = await y.api.expect<{ total: number }>(
        200,
        'GET',
        `/api/v1/catalog/items?q=${encodeURIComponent(t)}&limit=1`,
      );
      counts.push(`${t} ${r.total}`);
    }
    hits.push(`${kind}: ${counts.join(', ')}`);
  }
  const target: LoadTarget = { ...y.server, backends: y.backends };
  const pg = backend === 'postgres';
  const requests = pg ? ctx.profile.searchRequests : ctx.profile.embeddedSearchRequests;
  const all: Kind[] = ['keywords', 'pinyin', 'initials'];
  await loadRow(ctx, target, 'warm-up', {
    path: searchPaths(all, villages, 9),
    requests: ctx.profile.warmupRequests,
  });
  const runs = [
    await loadRow(ctx, target, 'GET /health (baseline)', { path: () => '/health', requests }),
  ];
  const p99Below = pg ? TARGET_P99_MS : undefined;
  const kinds: [string, Kind[], number][] = [
    ['q= keywords (身份证, 补贴, 登记…)', ['keywords'], 11],
    ['q= full pinyin (shengyu, yanglao…)', ['pinyin'], 12],
    ['q= initials (sfz, gljt…)', ['initials'], 13],
    ['q= all three mixed', all, 14],
  ];
  for (const [name, k, seed] of kinds) {
    const path = searchPaths(k, villages, seed);
    runs.push(await loadRow(ctx, target, name, { path, requests, p99Below }));
  }
  // One request at a time: the service time itself, with no queue in front of it.
  runs.push(
    await loadRow(ctx, target, 'q= all three mixed, one request at a time (concurrency 1)', {
      path: searchPaths(all, villages, 15),
      requests: Math.round(requests / 4),
      concurrency: 1,
      p99Below,
    }),
  );
  await y.stop();
  const rows = [...(pg ? floor : []), ...runs.map((r) => r.row)];
  const notes = runs.flatMap((r) => r.errors).map((e) => `error sample: ${e}`);
  if (pg) {
    for (const r of runs.slice(1, -1)) {
      const note = cpuBudgetNote(ctx.profile.concurrency, r.row);
      if (note) notes.push(note);
    }
  }
  notes.push(
    `${pg ? 'PostgreSQL' : 'PGlite'}: catalogue imported through the API in ` +
      `${(imported.ms / 1000).toFixed(1)} s; items found per term (no region): ${hits.join('; ')}.`,
  );
  const description =
    `Concurrency ${ctx.profile.concurrency} (the last row 1), ${requests.toLocaleString('en-US')} ` +
    `requests per row (the last a quarter); every search row sends half its requests with \`&region=\` one of ${villages.length} ` +
    'village codes (items available there: scoped to the village or an ancestor).' +
    (pg
      ? ' Default pool of 10 connections.'
      : ' One connection: requests queue for it; no target.');
  return {
    table: {
      title: pg ? 'PostgreSQL, 1,088 items' : 'Embedded database (PGlite), 1,088 items',
      description,
      columns: LOAD_COLUMNS,
      rows,
    },
    notes,
  };
}

export const catalogSearch: Benchmark = {
  name: 'catalog-search',
  description:
    '`GET /api/v1/catalog/items?q=…` from the bench process on the 1,088-item benchmark ' +
    'catalogue (scripts/generate-catalog.ts, imported through `POST /api/v1/catalog/import`): ' +
    'Chinese keywords, full pinyin and pinyin initials, half of them with `&region=` a village, ' +
    'after a warm-up, with `GET /health` on the same server as a baseline.',
  timeoutMs: 20 * 60_000,
  async run(ctx): Promise<BenchmarkResult> {
    const cleanup = new Cleanup();
    try {
      const bare = await startServer({
        env: {},
        args: BARE_SERVER_ARGS,
        timeoutMs: 30_000,
        signal: ctx.signal,
      });
      cleanup.defer('stop the bare server', () => bare.stop());
      const name = 'bare node:http server (harness floor)';
      const requests = ctx.profile.searchRequests;
      await loadRow(ctx, bare, 'warm-up', {
        path: () => '/',
        requests: ctx.profile.warmupRequests,
      });
      const floor = (await loadRow(ctx, bare, name, { path: () => '/', requests })).row;
      await bare.stop();
      const parts: Part[] = [];
      let skipped: string | null = null;
      try {
        await requirePostgres();
      } catch (err) {
        skipped = (err as Error).message;
      }
      if (skipped === null) parts.push(await onBackend(ctx, cleanup, 'postgres', [floor]));
      parts.push(await onBackend(ctx, cleanup, 'pglite', []));
      const notes = parts.flatMap((p) => p.notes);
      if (skipped) notes.unshift(`PostgreSQL part skipped: ${skipped}`);
      return { tables: parts.map((p) => p.table), notes };
    } finally {
      await cleanup.run(ctx.log);
    }
  },
};

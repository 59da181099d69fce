import type { MeasuredRow } from './load-row.ts';
import type { LoadStep } from './scale-load.ts';
import { round } from './stats.ts';
import type { Row, Table } from './types.ts';

/** What worklist-scale asks at each size, who asks it, and the target of its p99. */
export interface Kind {
  name: string;
  /** A path, or 'search' for the catalogue search mix. */
  path: string;
  who: 'township' | 'village' | 'leader' | 'anyone';
  p99Below: number;
}

const WORKLIST_MS = 50;
const STATS_MS = 200;
const SEARCH_MS = 5;

export const byKind: Kind[] = [
  ['to_decide', 'township'],
  ['in_progress', 'township'],
  ['overdue', 'township'],
  ['to_hand_over', 'village'],
  ['in_progress', 'village'],
  ['overdue', 'village'],
].map(([box, who]) => ({
  name: `GET /api/v1/worklist?box=${box} (${who === 'township' ? 'township approvers' : 'village agents'})`,
  path: `/api/v1/worklist?box=${box}`,
  who: who as Kind['who'],
  p99Below: WORKLIST_MS,
}));
for (const region of ['4309', '430922', '430922101']) {
  byKind.push({
    name: `GET /api/v1/stats/overview?region=${region} (leader)`,
    path: `/api/v1/stats/overview?region=${region}`,
    who: 'leader',
    p99Below: STATS_MS,
  });
}
byKind.push({
  name: 'GET /api/v1/catalog/items?q=… (keywords, pinyin, initials; half with &region=)',
  path: 'search',
  who: 'anyone',
  p99Below: SEARCH_MS,
});

export interface SizeResult {
  size: number;
  step: LoadStep;
  /** Cases added by this step. */
  cases: number;
  rows: Map<Kind, MeasuredRow>;
}

const label = (n: number) =>
  n >= 1_000_000 ? `${n / 1_000_000} M` : n >= 1_000 ? `${n / 1_000} k` : String(n);

/** p99 of every request at every size, and how many times the smallest size's it is. */
export function p99Table(results: SizeResult[]): Table {
  const first = results[0];
  const columns: Table['columns'] = [{ key: 'endpoint', label: 'request' }];
  for (const r of results) {
    columns.push({ key: `p99_${r.size}`, label: `p99 at ${label(r.size)}`, unit: 'ms', digits: 1 });
  }
  for (const r of results.slice(1)) {
    columns.push({
      key: `x_${r.size}`,
      label: `${label(r.size)} ÷ ${label(first!.size)}`,
      digits: 2,
    });
  }
  const rows: Row[] = byKind.map((kind) => {
    const values: Row['values'] = { endpoint: kind.name };
    const targets: Row['targets'] = {};
    const base = first?.rows.get(kind)?.stats.p99Ms;
    for (const r of results) {
      const p99 = r.rows.get(kind)?.stats.p99Ms;
      values[`p99_${r.size}`] = p99 === undefined ? null : round(p99, 1);
      // Worklist targets hold from 1 M cases up; stats and search at every size.
      if (kind.p99Below !== WORKLIST_MS || r.size >= 1_000_000)
        targets[`p99_${r.size}`] = { op: '<', value: kind.p99Below };
      if (r !== first)
        values[`x_${r.size}`] = p99 !== undefined && base ? round(p99 / base, 2) : null;
    }
    return { values, targets };
  });
  return {
    title: 'p99 by size',
    description:
      'Each p99 from its size’s table below. Targets: worklists under 50 ms from 1 M cases up, ' +
      'the leader’s overview under 200 ms, search under 5 ms. The last columns show how p99 ' +
      'moved with ×10 and ×100 the cases.',
    columns,
    rows,
  };
}

export function loadedTable(results: SizeResult[]): Table {
  return {
    title: 'What was loaded',
    description:
      'Each step adds cases to the last, in batches of 100,000 over two connections, then ' +
      'rebuilds the secondary indexes and stats_monthly and runs VACUUM ANALYZE; the time ' +
      'covers all of it.',
    columns: [
      { key: 'size', label: 'cases' },
      { key: 'minutes', label: 'load step', unit: 'min', digits: 1 },
      { key: 'rate', label: 'cases/s' },
      { key: 'open', label: 'open cases' },
      { key: 'overdue', label: 'overdue (clock running)' },
      { key: 'actions', label: 'action log rows' },
      { key: 'stats', label: 'stats_monthly rows' },
      { key: 'gib', label: 'database', unit: 'GiB', digits: 2 },
    ],
    rows: results.map((r) => ({
      values: {
        size: r.size,
        minutes: round(r.step.ms / 60_000, 1),
        rate: Math.round((r.cases / r.step.ms) * 1000),
        open: r.step.census.open,
        overdue: r.step.census.overdue,
        actions: r.step.census.actions,
        stats: r.step.census.statsRows,
        gib: round(r.step.census.databaseBytes / 1024 ** 3, 2),
      },
    })),
  };
}

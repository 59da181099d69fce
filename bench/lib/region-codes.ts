import { getJson } from './http.ts';
import { withClient } from './postgres.ts';
import { seededRandom, weightedPick } from './stats.ts';

export type Level = 'province' | 'city' | 'county' | 'township' | 'village';
/** Sampled region codes by level, the pool the lookup requests draw from. */
export type Pool = Record<Level, string[]>;

const LEVELS: Level[] = ['province', 'city', 'county', 'township', 'village'];
const SAMPLE_PER_LEVEL = 2000;

/**
 * Which levels the requests ask for. Uniform sampling would be 93% villages; real traffic
 * (forms, breadcrumbs, pickers walking down the tree) touches every level, so each gets a
 * fixed share. Children are only asked of levels that have children.
 */
export const REGION_MIX: Partial<Record<Level, number>> = {
  province: 5,
  city: 10,
  county: 15,
  township: 30,
  village: 40,
};
export const CHILDREN_MIX: Partial<Record<Level, number>> = {
  province: 10,
  city: 20,
  county: 30,
  township: 40,
};

export function poolSize(pool: Pool): number {
  return Object.values(pool).reduce((s, codes) => s + codes.length, 0);
}

/**
 * Request paths drawing a level by `mix`, then a code of that level, from a seeded
 * generator so every run sends the same sequence.
 */
export function pathMaker(
  pool: Pool,
  mix: Partial<Record<Level, number>>,
  suffix: string,
  seed: number,
): () => string {
  const random = seededRandom(seed);
  // Levels missing from this database are left out of the draw.
  const weights = Object.fromEntries(
    Object.entries(mix).filter(([level]) => pool[level as Level].length > 0),
  ) as Record<Level, number>;
  return () => {
    const codes = pool[weightedPick(random, weights)];
    return `/api/v1/regions/${codes[Math.floor(random() * codes.length)]}${suffix}`;
  };
}

/** A random sample of each level straight from the database, seeded so runs compare. */
export async function samplePostgres(url: string): Promise<{ pool: Pool; regions: number }> {
  return withClient(url, async (c) => {
    await c.query('SELECT setseed(0.42)');
    const pool = {} as Pool;
    for (const level of LEVELS) {
      const r = await c.query<{ code: string }>(
        'SELECT code FROM region WHERE level = $1 ORDER BY random() LIMIT $2',
        [level, SAMPLE_PER_LEVEL],
      );
      pool[level] = r.rows.map((row) => row.code);
    }
    const count = await c.query<{ n: string }>('SELECT count(*) AS n FROM region');
    return { pool, regions: Number(count.rows[0]?.n ?? 0) };
  });
}

/**
 * The embedded database is locked by the server that has it open, so its codes come
 * through the API's subtree listing instead, page by page.
 */
export async function sampleViaApi(
  baseUrl: string,
  within: string,
  signal: AbortSignal,
): Promise<Pool> {
  const pool = {} as Pool;
  for (const level of LEVELS) {
    const codes: string[] = [];
    let cursor: string | null = null;
    do {
      const query = `within=${within}&level=${level}&limit=200${cursor ? `&cursor=${cursor}` : ''}`;
      const page: { items: { code: string }[]; nextCursor: string | null } = await getJson(
        `${baseUrl}/api/v1/regions?${query}`,
        signal,
      );
      codes.push(...page.items.map((i) => i.code));
      cursor = page.nextCursor;
    } while (cursor && codes.length < SAMPLE_PER_LEVEL);
    pool[level] = codes;
  }
  return pool;
}

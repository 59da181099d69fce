import type { Db } from '../db/connection.ts';
import { ensureCatalog } from '../modules/catalog/catalog.seed.ts';
import { importYiyang } from '../modules/regions/regions.import.ts';

export interface SeedReport {
  regions: number;
  servicePoints: number;
  catalogItems: number;
}

/**
 * Data every installation needs: Yiyang's regions and their service points, loaded the
 * first time the database is empty. A database that already holds regions (say, the whole
 * country from `yimen regions import --all`) is left as it is.
 */
export async function ensureBaseData(db: Db): Promise<SeedReport | null> {
  const any = await db.selectFrom('region').select('code').limit(1).executeTakeFirst();
  const regions = any ? null : await db.transaction().execute((trx) => importYiyang(trx));
  const catalogItems = await ensureCatalog(db);
  if (!regions && catalogItems === 0) return null;
  return {
    regions: regions?.regions ?? 0,
    servicePoints: regions?.servicePoints ?? 0,
    catalogItems,
  };
}

/** A demo account printed at start-up so that someone trying yimen can sign in. */
export interface DemoAccount {
  username: string;
  role: string;
  where: string;
}

/**
 * The demo data: base data plus the places and people of the Yiyang story. Idempotent, so
 * `yimen seed --demo` may run on a database that has it already.
 */
export async function seedDemo(
  db: Db,
): Promise<{ base: SeedReport | null; accounts: DemoAccount[] }> {
  const base = await ensureBaseData(db);
  return { base, accounts: await listDemoAccounts(db) };
}

export async function listDemoAccounts(_db: Db): Promise<DemoAccount[]> {
  // Accounts arrive with the accounts module; until then the demo has places, not people.
  return [];
}

import type { Keys } from '../crypto/keys.ts';
import type { Db } from '../db/connection.ts';
import { inTransaction } from '../db/unit-of-work.ts';
import { ensureCatalog } from '../modules/catalog/catalog.seed.ts';
import { importYiyang } from '../modules/regions/regions.import.ts';
import { DEMO_STAFF, seedDemoStaff } from './demo-accounts.ts';
import { seedDemoQueue } from './demo-queue.ts';
import { seedDemoResidents } from './demo-residents.ts';
import { hasRegions, listStaffPlaces } from './seed.repo.ts';

interface SeedReport {
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
  const regions = (await hasRegions(db)) ? null : await inTransaction(db, importYiyang);
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
  keys: Keys,
): Promise<{ base: SeedReport | null; staff: number; residents: number; accounts: DemoAccount[] }> {
  const base = await ensureBaseData(db);
  const { staff, residents } = await inTransaction(db, async (trx) => ({
    staff: await seedDemoStaff(trx),
    residents: await seedDemoResidents(trx, keys),
  }));
  await inTransaction(db, seedDemoQueue);
  return { base, staff, residents, accounts: await listDemoAccounts(db) };
}

/** The demo staff accounts present in the database, for the start-up banner. */
async function listDemoAccounts(db: Db): Promise<DemoAccount[]> {
  const rows = await listStaffPlaces(
    db,
    DEMO_STAFF.map((s) => s.username),
  );
  const where = new Map(rows.map((r) => [r.username, r.name]));
  return DEMO_STAFF.filter((s) => where.has(s.username)).map((s) => ({
    username: s.username,
    role: s.roles.join(','),
    where: where.get(s.username)!,
  }));
}

import fs from 'node:fs';
import pg from 'pg';
import {
  type Census,
  census,
  dropSecondaryIndexes,
  REBUILD_STATS,
  recreateIndexes,
} from './bulk-admin.ts';
import { applicationsSql } from './bulk-load.ts';
import type { RunContext } from './types.ts';

/**
 * One step of worklist-scale's loading: cases `from` … `to` added in batches over two
 * connections (this machine's CPUs), secondary indexes dropped before and rebuilt after,
 * stats_monthly rebuilt, VACUUM ANALYZE. Each connection skips the row-by-row foreign-key
 * triggers (session_replication_role = replica, when allowed); the keys are valid by
 * construction and `checkForeignKeys` proves it afterwards with anti-joins.
 */
const BATCH = 100_000;
const CONNECTIONS = 2;

export interface LoadStep {
  ms: number;
  census: Census;
  fkChecksSkipped: boolean;
}

export async function loadStep(
  ctx: RunContext,
  url: string,
  shape: { villages: number; items: number; residents: number },
  from: number,
  to: number,
): Promise<LoadStep> {
  const t0 = performance.now();
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    const defs = await dropSecondaryIndexes(admin);
    let next = from;
    let skipped = true;
    const worker = async () => {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      try {
        await c.query('SET synchronous_commit = off');
        try {
          await c.query('SET session_replication_role = replica');
        } catch {
          skipped = false;
        }
        while (next < to) {
          ctx.signal.throwIfAborted();
          const g0 = next;
          next = Math.min(to, next + BATCH);
          await c.query(applicationsSql(g0, next, shape.villages, shape.items, shape.residents));
          const done = next - from;
          if (done % (BATCH * 10) === 0)
            ctx.log(`  ${(from + done).toLocaleString('en-US')} cases`);
        }
      } finally {
        await c.end();
      }
    };
    await Promise.all(Array.from({ length: CONNECTIONS }, worker));
    ctx.log('  rebuilding indexes, stats_monthly, VACUUM ANALYZE');
    await recreateIndexes(admin, defs);
    await admin.query(REBUILD_STATS);
    await admin.query('VACUUM ANALYZE');
    await checkForeignKeys(admin);
    return { ms: performance.now() - t0, census: await census(admin), fkChecksSkipped: skipped };
  } finally {
    await admin.end();
  }
}

/** Anti-joins on every foreign key of a bulk-loaded case; throws naming the first broken one. */
async function checkForeignKeys(c: pg.Client): Promise<void> {
  const checks: [string, string][] = [
    ['item', 'catalog_item x ON x.id = a.item_id'],
    ['applicant', 'resident x ON x.id = a.applicant_id'],
    ['received', 'service_point x ON x.id = a.received_sp_id'],
    ['accepting', 'service_point x ON x.id = a.accepting_sp_id'],
    ['deciding', 'service_point x ON x.id = a.deciding_sp_id'],
    ['delivering', 'service_point x ON x.id = a.deliver_sp_id'],
  ];
  for (const [what, join] of checks) {
    const r = await c.query<{ n: string }>(
      `SELECT count(*) AS n FROM application a LEFT JOIN ${join} WHERE x.id IS NULL`,
    );
    if (Number(r.rows[0]!.n) > 0)
      throw new Error(`bulk load: ${r.rows[0]!.n} cases with no ${what}`);
  }
}

/** Free bytes where PostgreSQL keeps its data, when that is on this machine; null otherwise. */
export async function freeBytesForDatabase(url: string): Promise<number | null> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const r = await c.query<{ d: string }>('SHOW data_directory');
    const dir = r.rows[0]?.d;
    if (!dir || !fs.existsSync(dir)) return null;
    const s = fs.statfsSync(dir);
    return s.bavail * s.bsize;
  } catch {
    return null;
  } finally {
    await c.end();
  }
}

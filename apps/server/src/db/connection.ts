import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { Kysely, PostgresDialect, type PostgresPool, type PostgresPoolClient } from 'kysely';
import pg from 'pg';
import type { DatabaseConfig } from '../config.ts';
import { type DataDirLock, lockDataDir } from './data-dir-lock.ts';
import { PreparingPool } from './prepared.ts';
import type { DB } from './schema.ts';

export type Db = Kysely<DB>;

export interface Database {
  kind: 'pglite' | 'postgres';
  db: Db;
  close(): Promise<void>;
  /** PGlite only: the whole database as a tarball, used for test templates and backups. */
  dumpDataDir?: () => Promise<Blob>;
}

/** A statement as the server sent it: its SQL text and the values bound to it. */
export interface SentStatement {
  sql: string;
  parameters: readonly unknown[];
}

/**
 * Where a pool reports the statements it sends, while a test listens (recordStatements).
 * Unset, a query pays one property read.
 */
export interface StatementTap {
  onStatement?: (statement: SentStatement) => void;
}
const taps = new WeakMap<Db, StatementTap>();

/**
 * Tests only: calls `onStatement` with every statement `db` sends, until the returned
 * function is called (db/indexes.test.ts asks PostgreSQL for the plan of each).
 */
export function recordStatements(
  db: Db,
  onStatement: (statement: SentStatement) => void,
): () => void {
  const tap = taps.get(db);
  if (!tap) throw new Error('recordStatements: not a database opened by openDatabase');
  tap.onStatement = onStatement;
  return () => {
    tap.onStatement = undefined;
  };
}

// Both backends hand back the same JavaScript types: int8 (counts) as numbers, dates as
// 'YYYY-MM-DD' strings (pg would otherwise build a Date at local midnight).
const INT8 = 20;
const DATE = 1082;
pg.types.setTypeParser(INT8, (v) => Number(v));
pg.types.setTypeParser(DATE, (v) => v);

export async function openDatabase(
  config: DatabaseConfig,
  opts: { poolSize?: number; loadDataDir?: Blob } = {},
): Promise<Database> {
  if (config.kind === 'postgres') {
    const pool = new pg.Pool({ connectionString: config.url, max: opts.poolSize ?? 10 });
    // PostgreSQL may close a pooled connection at any time (a restart, a failover,
    // pg_terminate_backend, DROP DATABASE … WITH (FORCE)). node-postgres then emits 'error'
    // on the pool, and an EventEmitter with no listener throws: the whole server would exit.
    // The pool drops that client and opens another on the next query; we only say so.
    pool.on('error', (err) => {
      process.emitWarning(`PostgreSQL closed an idle pooled connection: ${err.message}`);
    });
    const tap: StatementTap = {};
    const db = new Kysely<DB>({
      dialect: new PostgresDialect({ pool: new PreparingPool(pool, tap) }),
    });
    taps.set(db, tap);
    return { kind: 'postgres', db, close: () => db.destroy() };
  }
  let lock: DataDirLock | undefined;
  if (config.dataDir) {
    fs.mkdirSync(config.dataDir, { recursive: true });
    lock = lockDataDir(path.dirname(config.dataDir));
  }
  try {
    if (config.dataDir && !opts.loadDataDir) await initDataDirApart(config.dataDir);
    const pglite = await PGlite.create({
      dataDir: config.dataDir ?? undefined,
      extensions: { pg_trgm },
      parsers: { [DATE]: (v: string) => v },
      startParams: [
        ...PGlite.defaultStartParams,
        '-c',
        // YIMEN_PGLITE_SHARED_BUFFERS (config.ts): resident in full from the start.
        `shared_buffers=${config.sharedBuffers ?? '16MB'}`,
      ],
      ...(opts.loadDataDir ? { loadDataDir: opts.loadDataDir } : {}),
    });
    const tap: StatementTap = {};
    const db = new Kysely<DB>({
      dialect: new PostgresDialect({ pool: new PGlitePool(pglite, tap) }),
    });
    taps.set(db, tap);
    return {
      kind: 'pglite',
      db,
      close: async () => {
        await db.destroy();
        lock?.release();
      },
      dumpDataDir: async () => {
        const dump = await pglite.dumpDataDir('gzip');
        return dump;
      },
    };
  } catch (err) {
    lock?.release();
    throw err;
  }
}

/**
 * Creates a new PGlite cluster (initdb) in a short-lived child process, when `dir` holds none
 * yet. Built in the server's own process, initdb peaked at 788 MiB and glibc kept ~55 MiB of
 * it resident for the life of the server (346 MiB at the first /health, 292 MiB now); in a
 * child it is all returned when the child exits. Costs the first start 1–2 s; a restart,
 * which finds the cluster, pays nothing. The cluster is made beside `dir` and renamed into
 * place when complete, so a start that is killed half-way leaves no half a cluster behind.
 */
async function initDataDirApart(dir: string): Promise<void> {
  if (fs.existsSync(path.join(dir, 'PG_VERSION'))) return;
  if (fs.readdirSync(dir).length > 0) {
    throw new Error(
      `数据目录 ${dir} 不为空，也不是数据库；请清空或换一个目录 / ` +
        `${dir} is not empty and holds no database: empty it or choose another YIMEN_DATA_DIR`,
    );
  }
  const building = `${dir}.initdb-${process.pid}`;
  fs.rmSync(building, { recursive: true, force: true });
  const script = [
    `const { PGlite } = await import(${JSON.stringify(import.meta.resolve('@electric-sql/pglite'))});`,
    `const db = await PGlite.create({ dataDir: ${JSON.stringify(building)} });`,
    'await db.close();',
  ].join('\n');
  try {
    await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
      maxBuffer: 16 * 1024 * 1024,
      timeout: 5 * 60_000,
    });
    fs.rmdirSync(dir);
    fs.renameSync(building, dir);
  } catch (err) {
    fs.rmSync(building, { recursive: true, force: true });
    const e = err as Error & { stderr?: string };
    throw new Error(
      `创建内置数据库失败（${dir}）/ creating the embedded database in ${dir} failed: ${e.stderr || e.message}`,
    );
  }
}

/**
 * Lets Kysely's PostgresDialect drive PGlite as if it were a node-postgres pool of one.
 * PGlite has a single connection, so `connect()` lends it to one caller at a time: a
 * transaction holds it from BEGIN to COMMIT and nothing else interleaves. The price is the
 * PGlite rule in docs/architecture.md: inside a transaction, query through `trx`, never the
 * outer `db`, or the second `connect()` waits for ever.
 */
class PGlitePool implements PostgresPool {
  private queue: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly pglite: PGlite,
    private readonly tap: StatementTap,
  ) {}

  async connect(): Promise<PostgresPoolClient> {
    if (this.closed) throw new Error('database is closed');
    let release!: () => void;
    const previous = this.queue;
    this.queue = new Promise<void>((resolve) => {
      release = resolve;
    });
    await previous;
    const { pglite, tap } = this;
    return {
      // biome-ignore lint/suspicious/noExplicitAny: the PostgresPoolClient signature is generic
      async query(sqlText: any, parameters?: readonly unknown[]): Promise<any> {
        tap.onStatement?.({ sql: sqlText, parameters: parameters ?? [] });
        // Without parameters the simple protocol runs, which accepts several statements:
        // that is how migrations run as one script.
        if (!parameters || parameters.length === 0) {
          const results = await pglite.exec(sqlText);
          const last = results[results.length - 1];
          return toPgResult(last ?? { rows: [], affectedRows: 0 });
        }
        return toPgResult(await pglite.query(sqlText, parameters as unknown[]));
      },
      release: () => release(),
    } as PostgresPoolClient;
  }

  async end(): Promise<void> {
    this.closed = true;
    await this.queue;
    await this.pglite.close();
  }
}

function toPgResult(r: { rows: unknown[]; affectedRows?: number; command?: string }) {
  const command = (r as { command?: string }).command ?? 'SELECT';
  return {
    command,
    rowCount: ['INSERT', 'UPDATE', 'DELETE', 'MERGE'].includes(command)
      ? (r.affectedRows ?? 0)
      : r.rows.length,
    rows: r.rows,
  };
}

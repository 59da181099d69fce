import fs from 'node:fs';
import pg from 'pg';

const SOCKET_DIR = '/var/run/postgresql';

/**
 * The PostgreSQL server the bench creates its databases on: BENCH_DATABASE_URL, else the
 * local server of CI, through its Unix socket when it has one. On one machine that is how a
 * deployment should connect: on this VM a statement's round trip over loopback TCP cost the
 * client 55 µs of CPU and 170 µs of wall time, over the socket 27 and 52, and a case step is
 * a dozen statements. Every server of a run (yimen, the plain-INSERT ceiling, pgbench) uses
 * the same URL. The path of that URL is only used to connect for CREATE/DROP DATABASE.
 */
export function adminUrl(): string {
  if (process.env.BENCH_DATABASE_URL) return process.env.BENCH_DATABASE_URL;
  return fs.existsSync(`${SOCKET_DIR}/.s.PGSQL.5432`)
    ? `postgres://postgres@localhost:5432/postgres?host=${SOCKET_DIR}`
    : 'postgres://postgres@127.0.0.1:5432/postgres';
}

export function databaseUrl(name: string, base = adminUrl()): string {
  const u = new URL(base);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Shown instead of the password, which must never reach the results file. */
export function redactUrl(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
}

export async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

const SAFE_NAME = /^[a-z_][a-z0-9_]*$/;

function checkName(name: string): string {
  if (!SAFE_NAME.test(name)) throw new Error(`unsafe database name: ${name}`);
  return name;
}

/** Drops a leftover of an earlier, interrupted run, then creates the database empty. */
export async function createFreshDatabase(name: string): Promise<string> {
  await withClient(adminUrl(), async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${checkName(name)} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${checkName(name)}`);
  });
  return databaseUrl(name);
}

/** WITH (FORCE) ends sessions a killed server may have left open. */
export async function dropDatabase(name: string): Promise<void> {
  await withClient(adminUrl(), (c) =>
    c.query(`DROP DATABASE IF EXISTS ${checkName(name)} WITH (FORCE)`),
  );
}

/** "15.20", or null when no server answers (the PostgreSQL benchmarks then fail early). */
export async function serverVersion(): Promise<string | null> {
  try {
    return await withClient(adminUrl(), async (c) => {
      const r = await c.query<{ server_version: string }>('SHOW server_version');
      return r.rows[0]?.server_version ?? null;
    });
  } catch {
    return null;
  }
}

/**
 * Process ids of the server backends connected to `database`, for reading their CPU time
 * from /proc. Only meaningful when PostgreSQL runs on this machine; empty otherwise.
 */
export async function backendPids(database: string): Promise<number[]> {
  return withClient(adminUrl(), async (c) => {
    const r = await c.query<{ pid: number }>(
      "SELECT pid FROM pg_stat_activity WHERE datname = $1 AND backend_type = 'client backend'",
      [database],
    );
    // A remote server's pids mean nothing here: keep only pids that are local postgres processes.
    return r.rows.map((row) => row.pid).filter(isLocalPostgres);
  });
}

function isLocalPostgres(pid: number): boolean {
  try {
    return fs.readFileSync(`/proc/${pid}/comm`, 'utf8').startsWith('postgres');
  } catch {
    return false;
  }
}

/**
 * The ceiling the lifecycle benchmark compares yimen with: "the same kind of server doing
 * one plain INSERT per request into the same database". yimen has no such route, so the
 * bench starts this instead: Fastify (the version yimen uses) with request logging at info
 * like yimen's, a pool of 10 connections on PostgreSQL like yimen's (or PGlite on the data
 * directory yimen used, after yimen has stopped), and
 *
 *   POST /insert  one INSERT … RETURNING id of the JSON body into a scratch table, 201
 *   GET  /const   a constant JSON body, no database: Fastify's own floor
 *
 * Run by the bench as a child: `node --import tsx bench/lib/insert-server.ts`, with
 * BENCH_INSERT_PG (a postgres:// URL) or BENCH_INSERT_PGLITE (a data directory), PORT, HOST.
 * It prints "running at http://localhost:<port>" like yimen so bench/lib/server.ts can wait
 * for it, and drops its table again on SIGTERM.
 */
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import Fastify from 'fastify';
import pg from 'pg';

export const INSERT_TABLE = 'bench_plain_insert';

const CREATE = `CREATE TABLE IF NOT EXISTS ${INSERT_TABLE} (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  payload    jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
)`;
const INSERT = `INSERT INTO ${INSERT_TABLE} (payload) VALUES ($1) RETURNING id`;

interface Store {
  insert(payload: string): Promise<number>;
  close(): Promise<void>;
}

async function openStore(): Promise<Store> {
  const url = process.env.BENCH_INSERT_PG;
  const dir = process.env.BENCH_INSERT_PGLITE;
  if (url) {
    const pool = new pg.Pool({ connectionString: url, max: 10 });
    await pool.query(CREATE);
    return {
      insert: async (p) => Number((await pool.query(INSERT, [p])).rows[0].id),
      close: async () => {
        await pool.query(`DROP TABLE IF EXISTS ${INSERT_TABLE}`);
        await pool.end();
      },
    };
  }
  if (!dir) throw new Error('set BENCH_INSERT_PG or BENCH_INSERT_PGLITE');
  const db = await PGlite.create({ dataDir: dir, extensions: { pg_trgm } });
  await db.exec(CREATE);
  return {
    insert: async (p) => Number((await db.query<{ id: number }>(INSERT, [p])).rows[0]!.id),
    close: async () => {
      await db.exec(`DROP TABLE IF EXISTS ${INSERT_TABLE}`);
      await db.close();
    },
  };
}

async function main(): Promise<void> {
  const store = await openStore();
  const app = Fastify({ logger: { level: 'info' } });
  const constant = { status: 'ok', database: 'none', version: '0' };
  app.get('/const', async () => constant);
  app.post('/insert', async (req, reply) => {
    const id = await store.insert(JSON.stringify(req.body ?? {}));
    return reply.status(201).send({ id });
  });
  const address = await app.listen({
    port: Number(process.env.PORT ?? 0),
    host: process.env.HOST ?? '127.0.0.1',
  });
  console.log(`running at http://localhost:${new URL(address).port}`);
  process.once('SIGTERM', () => {
    void app
      .close()
      .then(() => store.close())
      .then(() => process.exit(0));
  });
}

void main().catch((err) => {
  console.error(err);
  process.exit(1);
});

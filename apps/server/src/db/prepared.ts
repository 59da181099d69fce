import type { PostgresPool, PostgresPoolClient } from 'kysely';
import type pg from 'pg';
import type { StatementTap } from './connection.ts';

/**
 * Named prepared statements on PostgreSQL. node-postgres sends a parameterised query as an
 * unnamed statement, so PostgreSQL parses, analyses and plans it on every execution; a case
 * step is a dozen such statements. Naming each distinct SQL text lets every connection parse
 * it once and, after a few runs, reuse a generic plan: on this project's VM a typical SELECT
 * and INSERT went from ~110 to ~45 µs of PostgreSQL CPU and from ~65 to ~50 µs of client CPU.
 *
 * Only statements with parameters are named (they already go through the extended protocol,
 * so each is a single statement), and not those whose best plan depends on a value (below). The SQL texts an application builds are few, but not bounded
 * (an IN list's length shows in its text), so at most MAX_NAMES texts get a name; any other
 * runs unnamed as before. PostgreSQL replans a prepared statement by itself after DDL on what
 * it reads; the one thing it refuses is a `SELECT *` whose columns changed, which only a
 * migration applied while the server runs could cause — migrations run before it serves.
 */
const MAX_NAMES = 2_000;
/** SQL text → its statement name, or null for a text that always runs unnamed. */
const names = new Map<string, string | null>();
let count = 0;

/**
 * A LIKE on a bound pattern (a region-code prefix, a name filter) can use an index only when
 * the planner sees the pattern: a generic plan cannot, and PostgreSQL's plan_cache_mode=auto
 * did switch the leader's city-wide figures to one (2.7× their PostgreSQL CPU at 1 M cases).
 * Such statements stay unnamed, planned for their values every time.
 */
export const VALUE_DEPENDENT = /\b(i?like|similar to)\b/i;

function nameFor(sql: string): string | null {
  const known = names.get(sql);
  if (known !== undefined) return known;
  if (names.size >= MAX_NAMES) return null;
  const name = VALUE_DEPENDENT.test(sql) ? null : `y${++count}`;
  names.set(sql, name);
  return name;
}

export class PreparingPool implements PostgresPool {
  constructor(
    private readonly pool: pg.Pool,
    private readonly tap: StatementTap = {},
  ) {}

  async connect(): Promise<PostgresPoolClient> {
    const client = await this.pool.connect();
    const tap = this.tap;
    return {
      query: ((sql: unknown, parameters?: readonly unknown[]) => {
        if (typeof sql === 'string') tap.onStatement?.({ sql, parameters: parameters ?? [] });
        if (typeof sql === 'string' && parameters && parameters.length > 0) {
          const name = nameFor(sql);
          if (name) return client.query({ name, text: sql, values: [...parameters] });
        }
        // A cursor (streaming) or a statement without parameters goes as it came.
        return client.query(sql as string, parameters as unknown[]);
      }) as unknown as PostgresPoolClient['query'],
      release: (destroy?: boolean) => client.release(destroy),
    };
  }

  end(): Promise<void> {
    return this.pool.end();
  }
}

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { createTestEnv, type TestEnv } from '../test/harness.ts';

/**
 * The lookups a request makes by a column of a table that grows every day must have an
 * index to use. Asked with sequential scans switched off, PostgreSQL still plans one when no
 * index serves the query, so the plan says whether one exists, however small the test tables
 * (where a sequential scan would be the right choice).
 */
const LOOKUPS: { what: string; table: string; query: string }[] = [
  {
    what: "a case's certificate (every read of a case)",
    table: 'certificate',
    query: `SELECT certificate_no FROM certificate WHERE application_id = '${randomUUID()}' LIMIT 1`,
  },
  {
    what: 'the worklist box "mine"',
    table: 'application',
    query: `SELECT id FROM application WHERE submitted_by = '${randomUUID()}' ORDER BY submitted_at DESC LIMIT 51`,
  },
  {
    what: 'who may open a scan',
    table: 'application_material',
    query: `SELECT application_id FROM application_material WHERE file_sha256 = '${'0'.repeat(64)}' LIMIT 20`,
  },
  {
    what: "a case's history",
    table: 'application_action',
    query: `SELECT seq FROM application_action WHERE application_id = '${randomUUID()}' ORDER BY seq`,
  },
  {
    what: "a villager's notices",
    table: 'notification',
    query: `SELECT id FROM notification WHERE resident_id = '${randomUUID()}' ORDER BY created_at DESC LIMIT 20`,
  },
];

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  Plans?: PlanNode[];
}
const nodes = (n: PlanNode): PlanNode[] => [n, ...(n.Plans ?? []).flatMap(nodes)];

let env: TestEnv;
before(async () => {
  env = await createTestEnv();
});
after(() => env.close());

describe('lookups on growing tables use an index', () => {
  for (const l of LOOKUPS) {
    it(`${l.what}: ${l.table}`, async () => {
      const plan = await env.db.transaction().execute(async (trx) => {
        await sql`SET LOCAL enable_seqscan = off`.execute(trx);
        const r = await sql<{
          'QUERY PLAN': unknown;
        }>`EXPLAIN (FORMAT JSON) ${sql.raw(l.query)}`.execute(trx);
        const raw = r.rows[0]!['QUERY PLAN'];
        return (typeof raw === 'string' ? JSON.parse(raw) : raw) as { Plan: PlanNode }[];
      });
      const scans = nodes(plan[0]!.Plan).filter(
        (n) => n['Node Type'] === 'Seq Scan' && n['Relation Name'] === l.table,
      );
      assert.equal(scans.length, 0, `${l.query}\n→ ${JSON.stringify(plan)}`);
    });
  }
});

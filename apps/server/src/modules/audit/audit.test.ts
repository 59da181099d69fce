import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { createTestEnv, TEST_BACKEND, type TestEnv } from '../../test/harness.ts';
import { record, rowsOf, staffActor, tamper } from './audit.fixtures.ts';
import { chainFor, recordAudit } from './audit.service.ts';
import { verifyAuditChains } from './audit.verify.ts';
import { GENESIS_HASH, hashAuditRow } from './audit-chain.ts';

/**
 * The chain itself, on a real database: one chain per service point, each row linked to the
 * one before, and `verifyAuditChains` finding exactly the row someone edited or deleted by
 * going round the application.
 */
let env: TestEnv;
before(async () => {
  env = await createTestEnv();
});
after(() => env.close());

let spCounter = 0;
/** A fresh service point per test, so each test owns its chain. */
function nextServicePoint(): string {
  return `4309221012${String(10 + ++spCounter).padStart(2, '0')}`;
}

describe('audit chains', () => {
  it('keeps one chain per service point, each numbered from 1 and linked', async () => {
    const a = staffActor(nextServicePoint());
    const b = staffActor(nextServicePoint());
    for (const actor of [a, b, a, a, b]) await record(env.db, { actor });
    const chainA = chainFor(a, '');
    assert.equal(chainA, `sp:${a.servicePoint!.code}`);
    const rowsA = await rowsOf(env.db, chainA);
    const rowsB = await rowsOf(env.db, chainFor(b, ''));
    assert.deepEqual(
      rowsA.map((r) => r.seq),
      [1, 2, 3],
    );
    assert.deepEqual(
      rowsB.map((r) => r.seq),
      [1, 2],
    );
    for (const rows of [rowsA, rowsB]) {
      assert.equal(rows[0]!.prev_hash, GENESIS_HASH);
      for (let i = 1; i < rows.length; i++) assert.equal(rows[i]!.prev_hash, rows[i - 1]!.hash);
    }
    const head = await env.db
      .selectFrom('audit_chain_head')
      .selectAll()
      .where('chain', '=', chainA)
      .executeTakeFirstOrThrow();
    assert.deepEqual({ seq: Number(head.seq), hash: head.hash }, { seq: 3, hash: rowsA[2]!.hash });
  });

  it('spreads citizens and anonymous callers over a few shards', () => {
    assert.match(chainFor(null, '10.1.2.3'), /^public:\d+$/);
    const citizen = { ...staffActor('x'), kind: 'citizen' as const, servicePoint: null };
    assert.match(chainFor(citizen, ''), /^citizen:\d+$/);
    assert.equal(chainFor(citizen, ''), chainFor(citizen, 'other'));
  });

  it('verifies rows as written: jsonb, text[], nested and masked data, time to the ms', async () => {
    const actor = staffActor(nextServicePoint(), { roles: ['village_agent', 'township_clerk'] });
    await record(env.db, {
      actor,
      action: 'resident.update',
      targetType: 'resident',
      targetId: 'r-1',
      before: { name: '王五', idNumber: '430903195603120013', tags: [3, 1.5, null, true] },
      after: {
        name: '王五',
        nested: { z: 1, a: { when: new Date('2026-03-01T08:00:00.123Z'), big: 12345678901234 } },
        note: 'emoji 🌾 and "quotes" \\ backslash',
        skip: undefined,
      },
    });
    await record(env.db, { actor, action: 'auth.login' });
    await record(env.db, { actor: null, action: 'auth.login', outcome: 'denied' });
    const [row] = await rowsOf(env.db, chainFor(actor, ''));
    assert.equal(hashAuditRow({ ...row!, seq: Number(row!.seq) }), row!.hash);
    assert.deepEqual(row!.actor_roles, ['village_agent', 'township_clerk']);
    assert.equal((row!.before as { idNumber: string }).idNumber, '430903********0013');

    const result = await verifyAuditChains(env.db);
    assert.equal(result.ok, true, JSON.stringify(result.firstBroken));
    assert.ok(result.chains >= 2);
    assert.equal(result.rows, Number((await countRows()).n));
    assert.equal(result.firstBroken, undefined);
  });

  it('refuses UPDATE, DELETE and TRUNCATE through the application', async () => {
    const actor = staffActor(nextServicePoint());
    await record(env.db, { actor });
    const [row] = await rowsOf(env.db, chainFor(actor, ''));
    for (const statement of [
      sql`UPDATE audit_log SET outcome = 'failed' WHERE id = ${row!.id}`,
      sql`DELETE FROM audit_log WHERE id = ${row!.id}`,
      sql`TRUNCATE audit_log`,
    ]) {
      await assert.rejects(statement.execute(env.db), /append-only/);
    }
    assert.equal((await rowsOf(env.db, chainFor(actor, ''))).length, 1);
  });

  it('reports exactly the row edited in the database (hash_mismatch)', async () => {
    const actor = staffActor(nextServicePoint());
    for (let i = 0; i < 4; i++) await record(env.db, { actor, after: { step: i } });
    const chain = chainFor(actor, '');
    const rows = await rowsOf(env.db, chain);
    assert.equal((await verifyAuditChains(env.db, { chain })).ok, true);

    await tamper(env.db, sql`UPDATE audit_log SET after = '{"x":1}' WHERE id = ${rows[1]!.id}`);
    const result = await verifyAuditChains(env.db, { chain });
    assert.equal(result.ok, false);
    assert.deepEqual(
      { ...result.firstBroken, detail: undefined, occurredAt: undefined },
      {
        chain,
        seq: 2,
        id: Number(rows[1]!.id),
        reason: 'hash_mismatch',
        action: 'test.act',
        detail: undefined,
        occurredAt: undefined,
      },
    );
    assert.equal(result.brokenChains, 1);

    // The whole trail: the other chains are still checked and still intact.
    const all = await verifyAuditChains(env.db);
    assert.equal(all.ok, false);
    assert.deepEqual(
      all.broken.map((b) => [b.chain, b.id]),
      [[chain, Number(rows[1]!.id)]],
    );
  });

  it('sees an edit even when the row’s own hash was recomputed (prev_hash_mismatch)', async () => {
    const actor = staffActor(nextServicePoint());
    for (let i = 0; i < 3; i++) await record(env.db, { actor });
    const chain = chainFor(actor, '');
    const rows = await rowsOf(env.db, chain);
    const forged = { ...rows[0]!, seq: 1, action: 'nothing.happened' };
    await tamper(
      env.db,
      sql`UPDATE audit_log SET action = ${forged.action}, hash = ${hashAuditRow(forged)}
          WHERE id = ${rows[0]!.id}`,
    );
    const result = await verifyAuditChains(env.db, { chain });
    assert.equal(result.firstBroken?.reason, 'prev_hash_mismatch');
    assert.equal(result.firstBroken?.seq, 2);
  });

  it('notices deleted rows: the tail (head_mismatch), the middle (gap), the whole chain', async () => {
    const tail = staffActor(nextServicePoint());
    const middle = staffActor(nextServicePoint());
    const whole = staffActor(nextServicePoint());
    for (let i = 0; i < 3; i++) {
      for (const actor of [tail, middle, whole]) await record(env.db, { actor });
    }
    const [t, m, w] = [tail, middle, whole].map((a) => chainFor(a, ''));
    const tailRows = await rowsOf(env.db, t!);
    const middleRows = await rowsOf(env.db, m!);
    await tamper(env.db, sql`DELETE FROM audit_log WHERE id = ${tailRows[2]!.id}`);
    await tamper(env.db, sql`DELETE FROM audit_log WHERE id = ${middleRows[1]!.id}`);
    await tamper(env.db, sql`DELETE FROM audit_log WHERE chain = ${w!}`);

    const byTail = await verifyAuditChains(env.db, { chain: t! });
    assert.deepEqual(
      [byTail.firstBroken?.reason, byTail.firstBroken?.seq, byTail.firstBroken?.id],
      ['head_mismatch', 3, null],
    );
    const byMiddle = await verifyAuditChains(env.db, { chain: m! });
    assert.deepEqual(
      [byMiddle.firstBroken?.reason, byMiddle.firstBroken?.id],
      ['gap', Number(middleRows[2]!.id)],
    );
    const byWhole = await verifyAuditChains(env.db, { chain: w! });
    assert.deepEqual(
      [byWhole.ok, byWhole.chains, byWhole.firstBroken?.reason],
      [false, 1, 'head_mismatch'],
    );
  });

  it('notices a deleted or rewound chain head', async () => {
    const gone = staffActor(nextServicePoint());
    const rewound = staffActor(nextServicePoint());
    for (const actor of [gone, rewound, rewound]) await record(env.db, { actor });
    await sql`DELETE FROM audit_chain_head WHERE chain = ${chainFor(gone, '')}`.execute(env.db);
    const rows = await rowsOf(env.db, chainFor(rewound, ''));
    await sql`UPDATE audit_chain_head SET seq = 1, hash = ${rows[0]!.hash}
              WHERE chain = ${chainFor(rewound, '')}`.execute(env.db);
    for (const actor of [gone, rewound]) {
      const result = await verifyAuditChains(env.db, { chain: chainFor(actor, '') });
      assert.equal(result.firstBroken?.reason, 'head_mismatch');
    }
  });

  it('takes in rows written while it runs, without calling them a break', async () => {
    const actor = staffActor(nextServicePoint());
    for (let i = 0; i < 3; i++) await record(env.db, { actor });
    const chain = chainFor(actor, '');
    let written = false;
    // Two more rows land right after verify has read the chain and before it reads the head.
    const racing = env.db.withPlugin({
      transformQuery: (args) => args.node,
      async transformResult(args) {
        if (
          !written &&
          args.result.rows.some((r) => r && typeof r === 'object' && 'prev_hash' in r)
        ) {
          written = true;
          const writes = env.db.transaction().execute(async (trx) => {
            for (let i = 0; i < 2; i++) {
              await recordAudit(trx, { actor, meta: null, action: 'test.late' });
            }
          });
          // PGlite lends its one connection in turn: queue the writes ahead of verify's next query.
          if (TEST_BACKEND === 'postgres') await writes;
          else await new Promise((resolve) => setTimeout(resolve, 0));
        }
        return args.result;
      },
    });
    const result = await verifyAuditChains(racing, { chain });
    assert.equal(written, true);
    assert.deepEqual([result.ok, result.rows], [true, 5], JSON.stringify(result.firstBroken));
  });

  it('gives the same answer whatever the page size', async () => {
    const whole = await verifyAuditChains(env.db);
    for (const pageSize of [1, 2, 3, 7]) {
      const paged = await verifyAuditChains(env.db, { pageSize });
      assert.deepEqual(
        { ...paged, durationMs: 0 },
        { ...whole, durationMs: 0 },
        `page size ${pageSize}`,
      );
    }
  });
});

describe('audit chains under concurrency', {
  skip: TEST_BACKEND !== 'postgres' && 'PGlite has a single connection',
}, () => {
  it('lets two service points write at once, and orders writes within one', async () => {
    const x = staffActor(nextServicePoint());
    const y = staffActor(nextServicePoint());
    await record(env.db, { actor: x });
    let releaseA!: () => void;
    const gate = new Promise<void>((resolve) => {
      releaseA = resolve;
    });
    let entered!: () => void;
    const inside = new Promise<void>((resolve) => {
      entered = resolve;
    });
    const a = env.db.transaction().execute(async (trx) => {
      await recordAudit(trx, { actor: x, meta: null, action: 'test.a' });
      entered();
      await gate;
    });
    await inside;
    let sameChainDone = false;
    const sameChain = record(env.db, { actor: x, action: 'test.c' }).then(() => {
      sameChainDone = true;
    });
    const timeout = new Promise((_, reject) =>
      setTimeout(() => reject(new Error('chain sp:Y waited for chain sp:X')), 10_000).unref(),
    );
    try {
      await Promise.race([record(env.db, { actor: y, action: 'test.b' }), timeout]);
      assert.equal(sameChainDone, false, 'a second write on sp:X waits for the first');
    } finally {
      releaseA();
    }
    await a;
    await sameChain;
    const rows = await rowsOf(env.db, chainFor(x, ''));
    assert.deepEqual(
      rows.map((r) => [r.seq, r.action]),
      [
        [1, 'test.act'],
        [2, 'test.a'],
        [3, 'test.c'],
      ],
    );
    assert.equal((await verifyAuditChains(env.db, { chain: chainFor(x, '') })).ok, true);
  });
});

function countRows() {
  return env.db
    .selectFrom('audit_log')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
}

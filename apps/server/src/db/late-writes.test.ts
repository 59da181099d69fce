import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Db } from './connection.ts';
import { late, withLateWrites } from './late-writes.ts';

// Only the transaction's identity matters here.
const trx = () => ({}) as Db;

describe('late writes', () => {
  it('run after the scope’s work, in order, in the same call', async () => {
    const t = trx();
    const seen: string[] = [];
    const answer = await withLateWrites(t, async () => {
      await late(t, async () => {
        seen.push('stats');
        await late(t, async () => {
          seen.push('queued by a late write');
        });
      });
      await late(t, async () => {
        seen.push('audit');
      });
      seen.push('answer read');
      return 42;
    });
    assert.equal(answer, 42);
    assert.deepEqual(seen, ['answer read', 'stats', 'audit', 'queued by a late write']);
  });

  it('run at once outside a scope, or for another transaction', async () => {
    const seen: string[] = [];
    await late(trx(), async () => {
      seen.push('now');
    });
    const t = trx();
    await withLateWrites(t, async () => {
      await late(trx(), async () => {
        seen.push('other transaction, now');
      });
      seen.push('work');
    });
    assert.deepEqual(seen, ['now', 'other transaction, now', 'work']);
  });

  it('never run when the work fails (the transaction rolls back without them)', async () => {
    const t = trx();
    let ran = false;
    await assert.rejects(
      withLateWrites(t, async () => {
        await late(t, async () => {
          ran = true;
        });
        throw new Error('refused');
      }),
      /refused/,
    );
    assert.equal(ran, false);
    // The scope is gone: a later write on the same object runs at once.
    await late(t, async () => {
      ran = true;
    });
    assert.equal(ran, true);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BoundedMap } from './bounded-map.ts';

describe('BoundedMap', () => {
  it('forgets the oldest key when a new one comes to a full map', () => {
    const m = new BoundedMap<string, number>(3);
    for (const [i, k] of ['a', 'b', 'c', 'd', 'e'].entries()) m.set(k, i);
    assert.deepEqual([...m.keys()], ['c', 'd', 'e']);
    assert.equal(m.size, 3);
  });

  it('replacing a key it holds forgets nothing', () => {
    const m = new BoundedMap<string, number>(2);
    m.set('a', 1).set('b', 2).set('a', 3);
    assert.deepEqual(
      [...m.entries()],
      [
        ['a', 3],
        ['b', 2],
      ],
    );
  });

  it('refuses a size that holds nothing', () => {
    assert.throws(() => new BoundedMap(0), RangeError);
  });
});

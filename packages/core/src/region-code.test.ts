import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ancestorCodes,
  isWithinRegion,
  levelOfCode,
  normalizeRegionCode,
  parentCode,
} from './region-code.ts';

describe('region codes', () => {
  it('derives the level from the length', () => {
    assert.equal(levelOfCode('43'), 'province');
    assert.equal(levelOfCode('4309'), 'city');
    assert.equal(levelOfCode('430922'), 'county');
    assert.equal(levelOfCode('430922101'), 'township');
    assert.equal(levelOfCode('430922101220'), 'village');
    assert.equal(levelOfCode('43092'), undefined);
    assert.equal(levelOfCode('43a9'), undefined);
  });

  it('shortens zero-padded 12-digit codes to the level they name', () => {
    assert.equal(normalizeRegionCode('430922101000'), '430922101');
    assert.equal(normalizeRegionCode('430922000000'), '430922');
    assert.equal(normalizeRegionCode('430900000000'), '4309');
    assert.equal(normalizeRegionCode('430000000000'), '43');
    assert.equal(normalizeRegionCode('430922101220'), '430922101220');
    assert.equal(normalizeRegionCode('4309221'), undefined);
    assert.equal(normalizeRegionCode("43' OR 1=1"), undefined);
  });

  it('lists ancestors from the province down', () => {
    assert.deepEqual(ancestorCodes('430922101220'), ['43', '4309', '430922', '430922101']);
    assert.equal(parentCode('430922101220'), '430922101');
    assert.equal(parentCode('43'), undefined);
    assert.ok(isWithinRegion('430922101220', '430922'));
    assert.ok(!isWithinRegion('430903105237', '430922'));
  });
});

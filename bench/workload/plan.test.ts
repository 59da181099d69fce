import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formToZod, itemContentSchema, validateIdNumber } from '@yimen/core';
import { seedCatalog } from '../../scripts/generate-catalog.ts';
import { fillForm, unfitReason } from './catalog.ts';
import { CHANNEL_SHARE, SHARE, YIYANG } from './model.ts';
import { villager } from './people.ts';
import { type PlanItem, Planner, populations, type Village, zipfWeights } from './plan.ts';

/**
 * The generator's model, checked without a server: the seeded plan, its shares, the
 * villagers' numbers, and forms the server's own validation accepts. Run with
 * `node scripts/test.mjs bench/workload/plan.test.ts`. No timing is asserted.
 */

const fitItems = seedCatalog()
  .map((e) => ({ ...e, content: itemContentSchema.parse(e.content) }))
  .filter((e) => unfitReason(e.content) === null);

const villages: Village[] = Array.from({ length: 40 }, (_, i) => ({
  code: `4309${i % 2 ? '22' : '03'}${String(101 + (i % 5)).padStart(3, '0')}${String(200 + i).padStart(3, '0')}`,
  name: i % 4 === 0 ? `第${i}社区` : `第${i}村`,
  township: '',
  population: 1000 + i * 50,
  ordinal: i,
})).map((v) => ({ ...v, township: v.code.slice(0, 9) }));

const planItems: PlanItem[] = (() => {
  const weights = zipfWeights(fitItems.map((e) => e.content.popularity));
  return fitItems.map((e, i) => ({
    code: e.code,
    name: e.content.name.zh,
    scopeRegionCode: e.scopeRegionCode,
    crossPrefix: e.content.routing.crossRegion === 'none' ? null : 4,
    channels: e.content.channels,
    weight: weights[i]!,
  }));
})();

test('the demo catalogue has items that run village → township end to end, 生育登记 among them', () => {
  assert.ok(fitItems.length >= 10, `only ${fitItems.length} items fit`);
  assert.ok(fitItems.some((e) => e.code === '4309-WJ-QR-001'));
  for (const e of fitItems) {
    assert.equal(e.content.routing.acceptLevel, 'village', e.code);
    assert.equal(e.content.routing.decideLevel, 'township', e.code);
    assert.equal(e.content.routing.departmentSystem, undefined, e.code);
  }
});

test('every filled form passes the server’s validation of that item', () => {
  const who = villager(villages[3]!, 17);
  for (const e of fitItems) {
    const parsed = formToZod(e.content.form).safeParse(fillForm(e.content, who));
    assert.ok(parsed.success, `${e.code}: ${JSON.stringify(parsed.error?.issues)}`);
  }
});

test('villagers have valid, distinct ID numbers and mobiles', () => {
  const ids = new Set<string>();
  const mobiles = new Set<string>();
  for (const v of villages)
    for (const i of [0, 1, 999, 1000, 14_999]) {
      const who = villager(v, i);
      assert.ok(validateIdNumber(who.idNumber).ok, who.idNumber);
      assert.match(who.mobile, /^1[3-9]\d{9}$/);
      ids.add(who.idNumber);
      mobiles.add(who.mobile);
    }
  assert.equal(ids.size, villages.length * 5);
  assert.equal(mobiles.size, villages.length * 5);
});

test('populations total the city’s residents, communities larger', () => {
  const names = Array.from({ length: YIYANG.villages }, (_, i) => (i < 312 ? 'x社区' : 'x村'));
  const p = populations(names, 1);
  const total = p.reduce((a, b) => a + b, 0);
  assert.ok(Math.abs(total - YIYANG.residents) / YIYANG.residents < 0.01, String(total));
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  assert.ok(mean(p.slice(0, 312)) > 1.5 * mean(p.slice(312)));
});

test('a seed plans the same cases; the shares follow the model', () => {
  const a = new Planner(villages, planItems, 42).planDay(0, 20_000, 100);
  const b = new Planner(villages, planItems, 42).planDay(0, 20_000, 100);
  assert.deepEqual(a.slice(0, 50), b.slice(0, 50));
  assert.notDeepEqual(a.slice(0, 50), new Planner(villages, planItems, 43).planDay(0, 50, 100));
  const share = (f: (c: (typeof a)[number]) => boolean) => a.filter(f).length / a.length;
  const near = (got: number, want: number, what: string) =>
    assert.ok(Math.abs(got - want) < 0.02, `${what}: ${got.toFixed(3)}, want ${want}`);
  // Cross-region cases go to the counter, so online loses a little of its 30%.
  near(
    share((c) => c.channel === 'online'),
    CHANNEL_SHARE.online * (1 - SHARE.crossRegion),
    'online',
  );
  near(
    share((c) => c.channel === 'proxy'),
    CHANNEL_SHARE.proxy * (1 - SHARE.crossRegion),
    'proxy',
  );
  near(
    share((c) => c.correction),
    SHARE.correction,
    'corrections',
  );
  near(
    share((c) => c.deny),
    SHARE.denial,
    'denials',
  );
  near(
    share((c) => c.receivedAt !== null),
    SHARE.crossRegion,
    'cross-region',
  );
  near(
    share((c) => c.rating !== null),
    SHARE.rating,
    'ratings',
  );
  near(
    share((c) => c.hour === 9 || c.hour === 10),
    0.3,
    'the 9–11 peak',
  );
  assert.ok(
    a.every((c, i) => i === 0 || c.atMs >= a[i - 1]!.atMs),
    'in arrival order',
  );
  assert.ok(
    a.every((c) => c.atMs >= 0 && c.atMs < 100_000),
    'within the compressed day',
  );
  // Zipf: the most popular item is asked for about twice as often as the second.
  const counts = new Map<number, number>();
  for (const c of a) counts.set(c.item, (counts.get(c.item) ?? 0) + 1);
  const top = [...counts.values()].sort((x, y) => y - x);
  assert.ok(top[0]! / top[1]! > 1.6 && top[0]! / top[1]! < 2.5, `${top[0]} vs ${top[1]}`);
  for (const c of a.filter((x) => x.receivedAt !== null))
    assert.notEqual(villages[c.receivedAt!]!.township, villages[c.village]!.township);
});

import { seededRandom, weightedPick } from '../lib/stats.ts';
import {
  CHANNEL_SHARE,
  type Channel,
  COMMUNITY_FACTOR,
  FIRST_HOUR,
  HOURLY_SHARE,
  POPULATION_SIGMA,
  RATING_SHARE,
  SHARE,
  VILLAGE_SLOTS,
  YIYANG,
  ZIPF_EXPONENT,
} from './model.ts';

/**
 * The seeded plan: which villager applies for what, when, through which channel, and what
 * becomes of the case. Everything random is drawn here, in order, from one generator, so a
 * seed gives the same cases whatever the server's speed; the run only decides when they end.
 */

export interface Village {
  code: string;
  name: string;
  township: string;
  /** Its share of the city's 3.85 M residents (see model.ts). */
  population: number;
  /** Index into the city-wide list: makes every villager's ID number and mobile unique. */
  ordinal: number;
}

export interface PlanItem {
  code: string;
  name: string;
  scopeRegionCode: string;
  /** Length of the code prefix a receiving station must share (跨域通办 scope), null: none. */
  crossPrefix: number | null;
  channels: readonly string[];
  weight: number;
}

export interface PlannedCase {
  seq: number;
  /** Milliseconds after the run's start when the case arrives. */
  atMs: number;
  /** Simulated hour of the day (8 … 17). */
  hour: number;
  village: number;
  resident: number;
  item: number;
  channel: Channel;
  /** A station of another township receiving it (跨域通办), or null. */
  receivedAt: number | null;
  correction: boolean;
  deny: boolean;
  /** The grade the applicant gives, or null for no rating. */
  rating: number | null;
  verify: boolean;
  figures: boolean;
}

/** Cumulative weights, for picking an index in O(log n). */
export class Picker {
  private readonly cum: Float64Array;
  constructor(
    readonly indexes: readonly number[],
    weights: readonly number[],
  ) {
    this.cum = new Float64Array(weights.length);
    let s = 0;
    weights.forEach((w, i) => {
      s += w;
      this.cum[i] = s;
    });
  }

  pick(random: () => number): number {
    const r = random() * this.cum[this.cum.length - 1]!;
    let lo = 0;
    let hi = this.cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cum[mid]! > r) hi = mid;
      else lo = mid + 1;
    }
    return this.indexes[lo]!;
  }
}

function normal(random: () => number): number {
  const u = Math.max(random(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/** Residents per village: communities ×2, a log-normal spread, the city totalling 3.85 M. */
export function populations(names: readonly string[], seed: number): number[] {
  const random = seededRandom(seed ^ 0x5eed);
  const raw = names.map(
    (name) =>
      (name.endsWith('社区') ? COMMUNITY_FACTOR : 1) * Math.exp(POPULATION_SIGMA * normal(random)),
  );
  const total = raw.reduce((a, b) => a + b, 0);
  return raw.map((w) =>
    Math.min(VILLAGE_SLOTS - 1, Math.max(50, Math.round((w / total) * YIYANG.residents))),
  );
}

/** The villages a run uses: all of them, or a sample drawn in proportion to their people. */
export function sampleVillages<T extends { population: number }>(
  all: readonly T[],
  count: number,
  seed: number,
): T[] {
  if (count >= all.length) return [...all];
  const random = seededRandom(seed ^ 0x7111);
  // Weighted sampling without replacement (Efraimidis–Spirakis keys).
  return all
    .map((v) => ({ v, key: random() ** (1 / v.population) }))
    .sort((a, b) => b.key - a.key)
    .slice(0, count)
    .map((e) => e.v);
}

/** Zipf weights over items ranked by the catalogue's popularity figure. */
export function zipfWeights(popularity: readonly number[]): number[] {
  const order = popularity.map((p, i) => ({ p, i })).sort((a, b) => b.p - a.p);
  const weights = new Array<number>(popularity.length).fill(0);
  order.forEach(({ i }, rank) => {
    weights[i] = 1 / (rank + 1) ** ZIPF_EXPONENT;
  });
  return weights;
}

export class Planner {
  private readonly random: () => number;
  private readonly villagePicker: Picker;
  /** Per county (6 digits): the items its villagers may apply for, and those that cross regions. */
  private readonly itemsFor = new Map<string, { all: Picker; cross: Picker | null }>();
  private seq = 0;

  constructor(
    private readonly villages: readonly Village[],
    private readonly items: readonly PlanItem[],
    seed: number,
  ) {
    this.random = seededRandom(seed);
    this.villagePicker = new Picker(
      villages.map((_, i) => i),
      villages.map((v) => v.population),
    );
  }

  private pickersFor(county: string) {
    let p = this.itemsFor.get(county);
    if (!p) {
      const open = this.items
        .map((it, i) => ({ it, i }))
        .filter(({ it }) => county.startsWith(it.scopeRegionCode));
      if (open.length === 0) throw new Error(`no catalogue item is open to county ${county}`);
      const cross = open.filter(({ it }) => it.crossPrefix !== null);
      const picker = (list: typeof open) =>
        new Picker(
          list.map((e) => e.i),
          list.map((e) => e.it.weight),
        );
      p = { all: picker(open), cross: cross.length ? picker(cross) : null };
      this.itemsFor.set(county, p);
    }
    return p;
  }

  /** A station of another township within the item's cross-region scope, or null. */
  private otherStation(home: Village, prefix: number): number | null {
    const candidates: number[] = [];
    this.villages.forEach((v, i) => {
      if (v.township !== home.township && v.code.slice(0, prefix) === home.code.slice(0, prefix))
        candidates.push(i);
    });
    if (candidates.length === 0) return null;
    return candidates[Math.floor(this.random() * candidates.length)]!;
  }

  /** The cases of one working day, in arrival order, `daySeconds` of wall time per day. */
  planDay(day: number, count: number, daySeconds: number): PlannedCase[] {
    const r = this.random;
    const out: PlannedCase[] = [];
    const hourShares = Object.fromEntries(HOURLY_SHARE.map((s, h) => [String(h), s]));
    for (let k = 0; k < count; k++) {
      const slot = Number(weightedPick(r, hourShares));
      const dayFraction = (slot + r()) / HOURLY_SHARE.length;
      const village = this.villagePicker.pick(r);
      const home = this.villages[village]!;
      const pickers = this.pickersFor(home.code.slice(0, 6));
      const wantsCross = r() < SHARE.crossRegion && pickers.cross !== null;
      const item = (wantsCross ? pickers.cross! : pickers.all).pick(r);
      const it = this.items[item]!;
      const receivedAt = wantsCross ? this.otherStation(home, it.crossPrefix ?? 0) : null;
      let channel = weightedPick(r, CHANNEL_SHARE);
      // Another station receives a cross-region case at its counter; online goes to one's own.
      if (receivedAt !== null || !it.channels.includes(channel)) channel = 'counter';
      const deny = r() < SHARE.denial;
      out.push({
        seq: 0,
        atMs: (day + dayFraction) * daySeconds * 1000,
        hour: FIRST_HOUR + slot,
        village,
        resident: Math.floor(r() * home.population),
        item,
        channel,
        receivedAt,
        correction: r() < SHARE.correction,
        deny,
        rating: r() < SHARE.rating ? Number(weightedPick(r, RATING_SHARE)) : null,
        verify: !deny && r() < SHARE.verify,
        figures: r() < SHARE.figures,
      });
    }
    out.sort((a, b) => a.atMs - b.atMs);
    for (const c of out) c.seq = this.seq++;
    return out;
  }
}

import type { ApiClient } from '../lib/api.ts';
import { BENCH_PASSWORD } from '../lib/chains.ts';
import { CROSS_PREFIX, findWorkloadItems, type WorkloadItem } from './catalog.ts';
import type { Actor } from './client.ts';
import { type PlanItem, populations, sampleVillages, type Village, zipfWeights } from './plan.ts';

/**
 * The places and staff a run uses, set up through the API as the city's administrator would
 * before opening the platform: the catalogue items (catalog.ts), Yiyang's villages with their
 * share of the residents, and for each village used its station's agent and for each of
 * their townships the centre's approver (POST /api/v1/users, then a bearer sign-in). This is
 * not timed; the villagers are registered during the run, when they first turn up.
 */

export interface Station {
  village: Village;
  agent: Actor;
}

export interface World {
  items: WorkloadItem[];
  planItems: PlanItem[];
  stations: Station[];
  approvers: Map<string, Actor>;
  leader: Actor | null;
  skippedItems: number;
}

interface RegionPage {
  items: { code: string; name: string }[];
  nextCursor: string | null;
}

async function allVillages(api: ApiClient): Promise<{ code: string; name: string }[]> {
  const out: { code: string; name: string }[] = [];
  let cursor: string | null = null;
  do {
    const page: RegionPage = await api.expect<RegionPage>(
      200,
      'GET',
      `/api/v1/regions?within=4309&level=village&limit=200${cursor ? `&cursor=${cursor}` : ''}`,
    );
    out.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}

/** 10.<county>.<township>.<village>-ish: a station's own line, stable across runs. */
export function stationIp(code: string): string {
  const n = Number(code.slice(4));
  return `10.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

async function staffAccount(
  api: ApiClient,
  admin: string,
  username: string,
  servicePointCode: string,
  role: string,
): Promise<string> {
  const res = await api.request('POST', '/api/v1/users', {
    token: admin,
    body: {
      username,
      displayName: username,
      password: BENCH_PASSWORD,
      servicePointCode,
      roles: [role],
    },
  });
  // 409: made by an earlier run against the same server.
  if (res.status !== 201 && res.status !== 409)
    throw new Error(`creating ${username}: HTTP ${res.status} ${JSON.stringify(res.body)}`);
  return api.login(username, BENCH_PASSWORD);
}

/** Runs `fn` over `list`, `width` at a time (sign-ins hash passwords: a few in parallel). */
async function inBatches<T, R>(list: T[], width: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(list.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < list.length) {
        const i = next++;
        out[i] = await fn(list[i]!);
      }
    }),
  );
  return out;
}

export async function setUpWorld(
  api: ApiClient,
  opts: { villages: number; seed: number; adminUser: string; demoPassword: string },
  log: (m: string) => void,
): Promise<World> {
  const admin = await api.login(opts.adminUser, opts.demoPassword);
  const { items, skipped } = await findWorkloadItems(api);
  if (items.length === 0) throw new Error('no catalogue item runs end to end at village level');
  const weights = zipfWeights(items.map((i) => i.popularity));
  const planItems: PlanItem[] = items.map((it, i) => ({
    code: it.code,
    name: it.name,
    scopeRegionCode: it.scopeRegionCode,
    crossPrefix: CROSS_PREFIX[it.content.routing.crossRegion] ?? null,
    channels: it.content.channels,
    weight: weights[i]!,
  }));
  const regions = await allVillages(api);
  const people = populations(
    regions.map((r) => r.name),
    opts.seed,
  );
  const all: Village[] = regions.map((r, ordinal) => ({
    code: r.code,
    name: r.name,
    township: r.code.slice(0, 9),
    population: people[ordinal]!,
    ordinal,
  }));
  const used = sampleVillages(all, opts.villages, opts.seed);
  log(
    `${items.length} items run end to end (${skipped} village items skipped); ` +
      `${used.length} of ${all.length} villages`,
  );
  const stations = await inBatches(used, 4, async (village) => ({
    village,
    agent: {
      token: await staffAccount(
        api,
        admin,
        `wl.agent.${village.code}`,
        village.code,
        'village_agent',
      ),
      ip: stationIp(village.code),
    },
  }));
  const townships = [...new Set(used.map((v) => v.township))];
  const tokens = await inBatches(townships, 4, (t) =>
    staffAccount(api, admin, `wl.approver.${t}`, t, 'township_approver'),
  );
  const approvers = new Map(townships.map((t, i) => [t, { token: tokens[i]!, ip: stationIp(t) }]));
  let leader: Actor | null = null;
  try {
    leader = { token: await api.login('leader', opts.demoPassword), ip: '10.0.0.2' };
  } catch {
    log('no demo leader account: the figures are not read');
  }
  return { items, planItems, stations, approvers, leader, skippedItems: skipped };
}

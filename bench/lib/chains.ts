import { makeTestIdNumber } from '@yimen/core';
import type { ApiClient } from './api.ts';
import type { Chain, Resident } from './cases.ts';

/**
 * Sets up the places and people the lifecycle case-workers use, through the API as an
 * administrator and the agents would: for `townships` township centres spread over
 * Yiyang, `villagesPer` of their villages; a village agent per station and an approver per
 * centre (POST /api/v1/users), signed in for bearer tokens; and `residents` villagers per
 * village registered by its agent (POST /api/v1/residents) with valid synthetic ID numbers,
 * which the bench keeps to hand each certificate over to its holder.
 */
export const BENCH_PASSWORD = 'bench-Case-2026!';

export const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴', '徐', '孙'];
export const GIVEN = ['秀英', '桂兰', '丽', '红梅', '芳', '敏', '静', '玉兰', '春花', '小燕'];

interface RegionPage {
  items: { code: string; name: string }[];
}

/** 1970-01-01 plus `days`, as YYYYMMDD. */
export function birthDate(days: number): string {
  return new Date(Date.UTC(1970, 0, 1) + days * 86_400_000)
    .toISOString()
    .slice(0, 10)
    .replace(/-/g, '');
}

export async function setupChains(
  api: ApiClient,
  adminToken: string,
  opts: { townships: number; villagesPer: number; residents: number },
  signal: AbortSignal,
): Promise<Chain[]> {
  const all = await api.expect<RegionPage>(
    200,
    'GET',
    '/api/v1/regions?within=4309&level=township&limit=200',
  );
  const picked = Array.from(
    { length: opts.townships },
    (_, k) => all.items[Math.floor((k * all.items.length) / opts.townships)]!,
  );
  const user = async (username: string, servicePointCode: string, role: string) => {
    await api.expect(201, 'POST', '/api/v1/users', {
      token: adminToken,
      body: {
        username,
        displayName: username,
        password: BENCH_PASSWORD,
        servicePointCode,
        roles: [role],
      },
    });
    return api.login(username, BENCH_PASSWORD);
  };
  const chains: Chain[] = [];
  for (const t of picked) {
    signal.throwIfAborted();
    const approver = await user(`bench.approver.${t.code}`, t.code, 'township_approver');
    const villages = await api.expect<RegionPage>(
      200,
      'GET',
      `/api/v1/regions/${t.code}/children?limit=${opts.villagesPer}`,
    );
    for (const v of villages.items) {
      const agent = await user(`bench.agent.${v.code}`, v.code, 'village_agent');
      const residents: Resident[] = [];
      for (let r = 0; r < opts.residents; r++) {
        const n = chains.length * opts.residents + r;
        // Even 17th digit: a woman, the applicant of a 生育登记 (the wife's ID number).
        const idNumber = makeTestIdNumber(
          v.code.slice(0, 6),
          birthDate(5000 + n),
          `0${r % 5}${2 * (r % 5)}`,
        );
        const name = `${SURNAMES[n % SURNAMES.length]}${GIVEN[(n >> 2) % GIVEN.length]}`;
        const created = await api.expect<{ id: string }>(201, 'POST', '/api/v1/residents', {
          token: agent,
          body: { name, idNumber, regionCode: v.code },
        });
        residents.push({ id: created.id, idNumber, name });
      }
      chains.push({ village: v.code, township: t.code, agent, approver, residents, next: 0 });
    }
  }
  return chains;
}

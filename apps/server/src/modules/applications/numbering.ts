import type { Db } from '../../db/connection.ts';
import { nextDailyNo } from './applications.repo.ts';

/**
 * 办件编号: the receiving point's code, the date in China, a daily sequence —
 * 430903105237-20261129-0007 says where and when at a glance.
 */
export async function nextApplicationNo(
  trx: Db,
  servicePointCode: string,
  chinaDate: string,
): Promise<string> {
  const n = await nextDailyNo(trx, servicePointCode, chinaDate);
  return `${servicePointCode}-${chinaDate.replace(/-/g, '')}-${String(n).padStart(4, '0')}`;
}

import { sql } from 'kysely';
import type { Db } from '../../db/connection.ts';

/**
 * 办件编号: the receiving point's code, the date in China, a daily sequence —
 * 430903105237-20261129-0007 says where and when at a glance. The counter row is locked
 * only for that point and day, so stations never wait on one another.
 */
export async function nextApplicationNo(
  trx: Db,
  servicePointCode: string,
  chinaDate: string,
): Promise<string> {
  const row = await sql<{ last_no: number }>`
    INSERT INTO application_no_seq (service_point_code, day, last_no) VALUES (${servicePointCode}, ${chinaDate}, 1)
    ON CONFLICT (service_point_code, day) DO UPDATE SET last_no = application_no_seq.last_no + 1
    RETURNING last_no`.execute(trx);
  const n = row.rows[0]!.last_no;
  return `${servicePointCode}-${chinaDate.replace(/-/g, '')}-${String(n).padStart(4, '0')}`;
}

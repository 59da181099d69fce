import { todayInChina } from '@yimen/core';
import { sql } from 'kysely';
import type { Db } from '../../db/connection.ts';

export const COUNTERS = [
  'submitted',
  'accepted',
  'concluded',
  'approved',
  'denied',
  'refused',
  'withdrawn',
  'on_time',
  'late',
  'cross_region',
  'rating_1',
  'rating_2',
  'rating_3',
  'rating_4',
  'rating_5',
] as const;
export type Counter = (typeof COUNTERS)[number];

export interface StatsKey {
  /** The receiving point's region; stored at township level (villages roll up into it). */
  receivedRegion: string;
  itemCode: string;
  channel: string;
}

export function monthOf(chinaDate: string): string {
  return `${chinaDate.slice(0, 7)}-01`;
}

/**
 * Adds to this month's row for the case's place, item and channel, in the caller's
 * transaction. Triggers (migration 0009) add the same to the township's month and the
 * county's item rollups, in the same transaction; rows are always locked in that order.
 */
export async function bumpStats(
  trx: Db,
  key: StatsKey,
  add: Partial<Record<Counter, number>>,
  day = todayInChina(),
): Promise<void> {
  const entries = Object.entries(add).filter(([, n]) => n) as [Counter, number][];
  if (entries.length === 0) return;
  const region = key.receivedRegion.slice(0, 9);
  const cols = entries.map(([c]) => sql.ref(c));
  const vals = entries.map(([, n]) => sql.lit(n));
  const sets = entries.map(
    ([c]) => sql`${sql.ref(c)} = stats_monthly.${sql.ref(c)} + excluded.${sql.ref(c)}`,
  );
  await sql`
    INSERT INTO stats_monthly (month, region_code, item_code, channel, ${sql.join(cols)})
    VALUES (${monthOf(day)}, ${region}, ${key.itemCode}, ${key.channel}, ${sql.join(vals)})
    ON CONFLICT (region_code, month, item_code, channel) DO UPDATE SET ${sql.join(sets)}`.execute(
    trx,
  );
}

/** What a step adds: the counters an action moves, given the case before and after. */
export function countersFor(
  action: string,
  app: { cross_region: boolean; promised_days: number },
  after: { status: string; workingDaysUsed: number },
): Partial<Record<Counter, number>> {
  const onTime = after.workingDaysUsed <= app.promised_days ? { on_time: 1 } : { late: 1 };
  switch (action) {
    case 'submit':
      return { submitted: 1, ...(app.cross_region ? { cross_region: 1 } : {}) };
    case 'accept':
      return { accepted: 1 };
    case 'refuse':
      return { refused: 1, concluded: 1 };
    case 'withdraw':
      return { withdrawn: 1, concluded: 1 };
    case 'deny':
    case 'departmentReject':
      return { denied: 1, concluded: 1, ...onTime };
    case 'handOver':
    case 'mail':
    case 'download':
      return { approved: 1, concluded: 1, ...onTime };
    default:
      return after.status === 'concluded' ? { concluded: 1, ...onTime } : {};
  }
}

import { randomUUID } from 'node:crypto';
import { startClock, WorkingCalendar } from '@yimen/core';
import type { Db } from '../../db/connection.ts';

export const JINSHAN = '430903105237'; // 金山村 station

/**
 * TEST DATA, not an official arrangement: a plausible 2027 (元旦 1–3 January, 春节 5–13
 * February, a make-up Saturday on 20 February), as an administrator would load the real one.
 */
export const YEAR_2027 = {
  source: '测试数据：模拟国务院办公厅关于2027年部分节假日安排的通知',
  holidays: [
    ...['01', '02', '03'].map((d) => ({ date: `2027-01-${d}`, name: '元旦' })),
    ...['05', '06', '07', '08', '09', '10', '11', '12', '13'].map((d) => ({
      date: `2027-02-${d}`,
      name: '春节',
    })),
  ],
  workdays: [{ date: '2027-02-20', name: '春节' }],
};

/** A case with a running clock accepted on 30 December 2026, straight into the table. */
export async function runningCase(db: Db, promisedDays: number): Promise<string> {
  const item = await db
    .selectFrom('catalog_item')
    .select(['id', 'code', 'name'])
    .executeTakeFirstOrThrow();
  const sp = await db
    .selectFrom('service_point')
    .select(['id', 'region_code'])
    .where('code', '=', JINSHAN)
    .executeTakeFirstOrThrow();
  const resident = await db
    .insertInto('resident')
    .values({
      name: '测试',
      id_number_cipher: 'x',
      id_number_hmac: randomUUID(),
      id_number_masked: '430903********0000',
      sex: 'female',
      region_code: JINSHAN,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const clock = startClock(new WorkingCalendar(), promisedDays, '2026-12-30');
  const row = await db
    .insertInto('application')
    .values({
      application_no: `T-${randomUUID()}`,
      item_id: item.id,
      item_code: item.code,
      item_version: 1,
      item_name: item.name,
      applicant_id: resident.id,
      applicant_name: '测试',
      channel: 'counter',
      form_data: JSON.stringify({}),
      received_sp_id: sp.id,
      received_region: sp.region_code,
      accepting_sp_id: sp.id,
      deciding_sp_id: sp.id,
      deciding_region: sp.region_code,
      deliver_sp_id: sp.id,
      status: 'under_review',
      promised_days: promisedDays,
      accepted_at: new Date('2026-12-30T02:00:00Z'),
      clock_running_since: clock.runningSince,
      working_days_used: clock.usedDays,
      due_date: clock.dueDate,
      warn_date: clock.warnDate,
      due_is_estimate: clock.estimate,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export const clockOf = (db: Db, id: string) =>
  db
    .selectFrom('application')
    .select(['due_date', 'warn_date', 'due_is_estimate'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();

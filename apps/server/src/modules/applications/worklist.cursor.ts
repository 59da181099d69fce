import { AppError } from '../../errors.ts';

export type WorklistSort = 'due_date' | 'submitted_at';

/**
 * Where a page ended: its last case's sort key and id. `k` is "due-date submitted-at" in the
 * due-date order ("9999-12-31" when a case has no due date), the submission time alone in
 * the other, submission times in UTC to the microsecond.
 */
interface Cursor {
  k: string;
  id: string;
}
export interface CursorPosition {
  due: string;
  submitted: string;
  id: string;
}

const DAY = '\\d{4}-\\d{2}-\\d{2}';
const MOMENT = `${DAY}T\\d{2}:\\d{2}:\\d{2}\\.\\d{6}`;
const CURSOR_KEY = {
  due_date: new RegExp(`^(${DAY}) (${MOMENT})$`),
  submitted_at: new RegExp(`^()(${MOMENT})$`),
} as const;
/**
 * The parts are cast to date, timestamp and uuid in SQL: anything well formed that is no
 * real moment ("2026-02-30", "T25:61", year 0) must be refused here, not fail there. A
 * moment is real when it reads back the same from a Date (to the millisecond; the last
 * three digits are microseconds).
 */
function realMoment(s: string): boolean {
  const iso = s.length === 10 ? `${s}T00:00:00.000` : s.slice(0, 23);
  const t = Date.parse(`${iso}Z`);
  return s >= '0001' && !Number.isNaN(t) && new Date(t).toISOString() === `${iso}Z`;
}
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export const encodeCursor = (sortKey: string, id: string) =>
  Buffer.from(JSON.stringify({ k: sortKey, id } satisfies Cursor)).toString('base64url');

export function decodeCursor(s: string, sort: WorklistSort): CursorPosition {
  try {
    const c = JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as Cursor;
    const m =
      typeof c.k === 'string' && typeof c.id === 'string' && UUID.test(c.id)
        ? CURSOR_KEY[sort].exec(c.k)
        : null;
    if (m && (!m[1] || realMoment(m[1])) && realMoment(m[2] ?? ''))
      return { due: m[1] ?? '', submitted: m[2] ?? '', id: c.id };
  } catch {
    // fall through
  }
  throw new AppError('VALIDATION_FAILED', {}, [
    { field: 'query.cursor', message: { zh: '游标无效', en: 'invalid cursor' } },
  ]);
}

import type { WORKLIST_BOXES } from '@yimen/core';
import { type Expression, type RawBuilder, type SqlBool, sql } from 'kysely';
import type { Db } from '../../db/connection.ts';
import { summaryQuery } from './applications.repo.ts';
import type { CursorPosition, WorklistSort } from './worklist.cursor.ts';

type WorklistBox = (typeof WORKLIST_BOXES)[number];

/** Rows asked of the database for a page: the first of these above the page's limit. */
const TAKE_SIZES = [11, 21, 51, 101];
type SpColumn = 'received_sp_id' | 'accepting_sp_id' | 'deciding_sp_id' | 'deliver_sp_id';
const EVERY_ROLE: readonly SpColumn[] = [
  'received_sp_id',
  'accepting_sp_id',
  'deciding_sp_id',
  'deliver_sp_id',
];
/** The due-date order's first column, as the open-case indexes (migration 0013) hold it. */
const DUE = sql<string>`COALESCE(a.due_date, DATE '9999-12-31')`;
const SUBMITTED_UTC = sql<string>`to_char(a.submitted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US')`;
// Written out, not bound: the planner must see that it matches the predicate of the
// open-case indexes (migrations 0011, 0013) to use them for the boxes that span every role.
const OPEN = sql<SqlBool>`a.status NOT IN ('concluded', 'refused', 'withdrawn')`;

/**
 * Which service-point columns a box looks at and what else a case in it must be. The boxes
 * of one role name one column; those that span every role the point plays name all four.
 */
function boxFilter(
  box: WorklistBox,
  today: string,
): { columns: readonly SpColumn[] | 'mine'; where: RawBuilder<SqlBool>; open?: true } {
  switch (box) {
    case 'to_accept':
      return {
        columns: ['accepting_sp_id'],
        where: sql`a.status IN ('pending_pre_review', 'pending_acceptance')`,
      };
    case 'to_review':
      return { columns: ['deciding_sp_id'], where: sql`a.status = 'under_review'` };
    case 'to_decide':
      return {
        columns: ['deciding_sp_id'],
        where: sql`a.status IN ('under_review', 'pending_decision')`,
      };
    case 'to_issue':
      return { columns: ['deciding_sp_id'], where: sql`a.status = 'approved'` };
    case 'to_hand_over':
      return { columns: ['deliver_sp_id'], where: sql`a.status = 'issued'` };
    case 'due_soon':
      return {
        columns: EVERY_ROLE,
        // No a.due_date >= today: a yellow light has a due date (warn_date ≤ due_date), and
        // naming the bare column would keep the index-only scan off.
        where: sql`${OPEN} AND a.clock_running_since IS NOT NULL AND a.warn_date <= ${today} AND ${DUE} >= ${today}`,
      };
    case 'overdue':
      // DUE < today, not a.due_date < today: the same cases, and the index's range.
      return {
        columns: EVERY_ROLE,
        where: sql`${OPEN} AND a.clock_running_since IS NOT NULL AND ${DUE} < ${today}`,
        open: true,
      };
    case 'in_progress':
      return { columns: EVERY_ROLE, where: OPEN, open: true };
    case 'done':
      return {
        columns: EVERY_ROLE,
        where: sql`a.status IN ('concluded', 'refused', 'withdrawn')`,
      };
    case 'mine':
      return { columns: 'mine', where: sql`TRUE` };
  }
}

/**
 * One box's page for a service point (or the cases a user filed, for "mine"), in due-date
 * order or newest first, from the keyset position `after`: up to `limit + 1` summary rows,
 * each with its `sort_key` for the next cursor.
 *
 * An open-case box that spans every role ("in progress", "overdue", "due soon"), in due-date
 * order, is read as four short lists: for each service-point column, its first `limit + 1`
 * cases in order straight from that column's open-case index, then the union of those (a
 * case can be in several) sorted and cut. Asked as one query with `received = sp OR
 * accepting = sp OR …`, PostgreSQL had to fetch and sort every open case of the point,
 * thousands at a township centre. "Done" is not open: its cases are in no such index, and it
 * stays one query.
 */
export function worklistPage(
  db: Db,
  q: {
    box: WorklistBox;
    servicePointId: string;
    userId: string;
    today: string;
    sort: WorklistSort;
    limit: number;
    after: CursorPosition | null;
  },
) {
  const sp = q.servicePointId;
  const { columns, where, open } = boxFilter(q.box, q.today);
  const byDue = q.sort === 'due_date';
  const c = q.after;
  const after = !c
    ? sql<SqlBool>`TRUE`
    : byDue
      ? sql<SqlBool>`(${DUE}, a.submitted_at, a.id) > (${c.due}::date, ${c.submitted}::timestamp AT TIME ZONE 'UTC', ${c.id}::uuid)`
      : sql<SqlBool>`(a.submitted_at, a.id) < (${c.submitted}::timestamp AT TIME ZONE 'UTC', ${c.id}::uuid)`;
  // A literal: a bound LIMIT leaves a generic plan guessing how many rows are wanted. One of
  // a few sizes, so that every limit a client may send does not make a new SQL text (each is
  // a named prepared statement, and their number is capped: db/prepared.ts).
  const size = TAKE_SIZES.find((n) => n > q.limit) ?? q.limit + 1;
  const take = sql.lit(size);
  const ordered = <Q extends { orderBy(e: Expression<unknown>, m: 'asc' | 'desc'): Q }>(
    query: Q,
  ): Q =>
    byDue
      ? query.orderBy(DUE, 'asc').orderBy(sql`a.submitted_at`, 'asc').orderBy(sql`a.id`, 'asc')
      : query.orderBy(sql`a.submitted_at`, 'desc').orderBy(sql`a.id`, 'desc');
  const atPoint = (col: SpColumn) => sql<SqlBool>`${sql.ref(`a.${col}`)} = ${sp}`;

  let query = summaryQuery(db);
  if (columns === 'mine') {
    query = query.where('a.submitted_by', '=', q.userId).where(after);
  } else if (open && byDue) {
    const lists = columns.map(
      (col) =>
        sql`SELECT l.id FROM ${ordered(
          db
            .selectFrom('application as a')
            .select('a.id')
            .where(atPoint(col))
            .where(where)
            .where(after),
        ).limit(take)} l`,
    );
    query = query.where(sql<SqlBool>`a.id IN (${sql.join(lists, sql` UNION `)})`);
  } else {
    query = query
      .where(sql<SqlBool>`(${sql.join(columns.map(atPoint), sql` OR `)})`)
      .where(where)
      .where(after);
  }
  return ordered(query)
    .select(
      byDue
        ? sql<string>`to_char(${DUE}, 'YYYY-MM-DD') || ' ' || ${SUBMITTED_UTC}`.as('sort_key')
        : SUBMITTED_UTC.as('sort_key'),
    )
    .limit(take)
    .execute();
}

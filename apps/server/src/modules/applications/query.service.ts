import {
  ACTION_NAMES,
  type ApplicationDetail,
  type ApplicationSummary,
  STATUS_LABELS,
  todayInChina,
  WORKFLOW,
  type WORKLIST_BOXES,
} from '@yimen/core';
import { type Expression, type RawBuilder, type SqlBool, sql } from 'kysely';
import { jsonArrayFrom, jsonObjectFrom } from 'kysely/helpers/postgres';
import type { AppContext } from '../../app-context.ts';
import { type Actor, hasPermission } from '../../auth/actor.ts';
import { BoundedMap } from '../../bounded-map.ts';
import type { Db } from '../../db/connection.ts';
import { AppError, type Lang } from '../../errors.ts';
import { canSeeApplication } from './access.ts';
import { loadContent, mayTake } from './actions.service.ts';
import type * as repo from './applications.repo.ts';
import { lightFor } from './clock.ts';

function summaryQuery(db: Db) {
  return db
    .selectFrom('application as a')
    .innerJoin('service_point as r', 'r.id', 'a.received_sp_id')
    .innerJoin('service_point as d', 'd.id', 'a.deciding_sp_id')
    .innerJoin('service_point as v', 'v.id', 'a.deliver_sp_id')
    .selectAll('a')
    .select([
      'r.code as r_code',
      'r.name as r_name',
      'd.code as d_code',
      'd.name as d_name',
      'v.code as v_code',
      'v.name as v_name',
      'v.region_code as v_region',
    ]);
}
type SummaryRow = Awaited<ReturnType<ReturnType<typeof summaryQuery>['executeTakeFirstOrThrow']>>;

function presentSummary(r: SummaryRow, lang: Lang, today: string): ApplicationSummary {
  return {
    id: r.id,
    applicationNo: r.application_no,
    itemCode: r.item_code,
    itemName: r.item_name,
    itemVersion: r.item_version,
    applicantName: r.applicant_name,
    channel: r.channel,
    status: r.status,
    statusLabel: lang === 'en' ? STATUS_LABELS[r.status].en : STATUS_LABELS[r.status].zh,
    version: r.version,
    received: { code: r.r_code, name: r.r_name },
    deciding: { code: r.d_code, name: r.d_name },
    delivering: { code: r.v_code, name: r.v_name },
    crossRegion: r.cross_region,
    submittedAt: r.submitted_at.toISOString(),
    dueDate: r.due_date,
    dueIsEstimate: r.due_is_estimate,
    light: lightFor(r, today),
  };
}

/** The case if the actor may see it; "not found" otherwise, the same as if it did not exist. */
export async function requireVisible(
  db: Db,
  actor: Actor,
  id: string,
): Promise<repo.ApplicationRow> {
  const row = await summaryQuery(db).where('a.id', '=', id).executeTakeFirst();
  if (!row || !canSeeApplication(actor, row, row.v_region))
    throw new AppError('APPLICATION_NOT_FOUND');
  return row;
}

/**
 * A service point's region, by id. Points are created and deactivated, never moved to another
 * region (nothing updates service_point.region_code), so what was read once stays true; every
 * step of a case asks it of the delivering point.
 */
const pointRegion = new BoundedMap<string, string>(50_000);

async function regionOfPoint(db: Db, id: string): Promise<string> {
  const known = pointRegion.get(id);
  if (known !== undefined) return known;
  const v = await db
    .selectFrom('service_point')
    .select('region_code')
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  pointRegion.set(id, v.region_code);
  return v.region_code;
}

export async function visibilityCheck(db: Db, actor: Actor) {
  return async (app: repo.ApplicationRow) =>
    canSeeApplication(actor, app, await regionOfPoint(db, app.deliver_sp_id));
}

/** The case in full for one actor; `db` may be the caller's transaction. */
export async function getApplication(
  db: Db,
  actor: Actor,
  id: string,
  lang: Lang,
): Promise<ApplicationDetail> {
  // One round trip: the case with its history, materials, applicant, certificate and rating.
  // The case is read after every step it answers, so six queries here were a third of all
  // the statements of a lifecycle.
  const found = await summaryQuery(db)
    .innerJoin('resident as p', 'p.id', 'a.applicant_id')
    .select((eb) => [
      'p.name as p_name',
      'p.id_number_masked as p_id_number_masked',
      jsonArrayFrom(
        eb
          .selectFrom('application_action as x')
          .select([
            'x.seq',
            'x.action',
            'x.from_status',
            'x.to_status',
            'x.actor_kind',
            'x.actor_name',
            'x.actor_roles',
            'x.actor_sp_code',
            'x.comment',
            'x.payload',
            'x.occurred_at',
          ])
          .whereRef('x.application_id', '=', 'a.id')
          .orderBy('x.seq'),
      ).as('actions'),
      jsonArrayFrom(
        eb
          .selectFrom('application_material as m')
          .select(['m.material_key', 'm.source', 'm.file_sha256', 'm.certificate_no', 'm.filename'])
          .whereRef('m.application_id', '=', 'a.id')
          .orderBy('m.added_at'),
      ).as('materials'),
      eb
        .selectFrom('certificate as c')
        .select('c.certificate_no')
        .whereRef('c.application_id', '=', 'a.id')
        .limit(1)
        .as('cert_no'),
      jsonObjectFrom(
        eb
          .selectFrom('rating as g')
          .select(['g.grade', 'g.comment'])
          .whereRef('g.application_id', '=', 'a.id'),
      ).as('rating'),
    ])
    .where('a.id', '=', id)
    .executeTakeFirst();
  if (!found || !canSeeApplication(actor, found, found.v_region))
    throw new AppError('APPLICATION_NOT_FOUND');
  const row = found as SummaryRow;
  const content = await loadContent(db, row);
  const { actions, materials, rating } = found;
  const attached = new Set(materials.map((m) => m.material_key));
  const lastCorrection = [...actions]
    .reverse()
    .find((a) => a.action === 'requestCorrection' || a.action === 'departmentRequestCorrection');
  const label = (name: string) => {
    const l =
      name === 'submit'
        ? { zh: '提交申请', en: 'Submit' }
        : WORKFLOW[name as keyof typeof WORKFLOW]?.label;
    return l ? (lang === 'en' ? l.en : l.zh) : name;
  };
  return {
    ...presentSummary(row, lang, todayInChina()),
    applicant: {
      id: row.applicant_id,
      name: found.p_name,
      idNumberMasked: found.p_id_number_masked,
    },
    formData: row.form_data as Record<string, unknown>,
    materials: materials.map((m) => ({
      key: m.material_key,
      source: m.source,
      sha256: m.file_sha256,
      certificateNo: m.certificate_no,
      filename: m.filename,
    })),
    missingMaterials: content.materials
      .filter((m) => m.requirement === 'required' && !attached.has(m.key))
      .map((m) => m.key),
    history: actions.map((a) => ({
      seq: a.seq,
      action: a.action,
      label: label(a.action),
      fromStatus: a.from_status,
      toStatus: a.to_status,
      actor: {
        kind: a.actor_kind,
        name: a.actor_name,
        roles: a.actor_roles,
        servicePoint: a.actor_sp_code,
      },
      comment: a.comment,
      payload: a.payload,
      // json_agg gives timestamps as text with the session's offset.
      occurredAt: new Date(a.occurred_at).toISOString(),
    })),
    allowedActions: ACTION_NAMES.filter((name) => {
      const from = WORKFLOW[name].from as readonly string[];
      return from.includes(row.status) && mayTake(actor, row, name);
    }),
    certificateNo: found.cert_no,
    correction:
      row.status === 'correction_requested' && lastCorrection ? lastCorrection.payload : null,
    rating: rating ? { grade: rating.grade, comment: rating.comment } : null,
  };
}

/**
 * Where a page ended: its last case's sort key and id. `k` is "due-date submitted-at" in the
 * due-date order ("9999-12-31" when a case has no due date), the submission time alone in
 * the other, submission times in UTC to the microsecond.
 */
interface Cursor {
  k: string;
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
const encode = (c: Cursor) => Buffer.from(JSON.stringify(c)).toString('base64url');
function decode(s: string, sort: WorklistSort): { due: string; submitted: string; id: string } {
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

type WorklistSort = 'due_date' | 'submitted_at';
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
  box: (typeof WORKLIST_BOXES)[number],
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
 * The worklist of the actor's service point, one box at a time, sorted by due date (or by
 * submission), paged by a keyset cursor so page 40 is as fast as page 1.
 *
 * An open-case box that spans every role ("in progress", "overdue", "due soon"), in due-date
 * order, is read as four short lists: for each service-point column, its first `limit + 1`
 * cases in order straight from that column's open-case index, then the union of those (a
 * case can be in several) sorted and cut. Asked as one query with `received = sp OR
 * accepting = sp OR …`, PostgreSQL had to fetch and sort every open case of the point,
 * thousands at a township centre. "Done" is not open: its cases are in no such index, and it
 * stays one query.
 */
export async function worklist(
  ctx: AppContext,
  actor: Actor,
  q: {
    box: (typeof WORKLIST_BOXES)[number];
    limit: number;
    cursor?: string | undefined;
    sort: WorklistSort;
  },
  lang: Lang,
) {
  if (actor.kind !== 'staff' || !hasPermission(actor, 'application.view') || !actor.servicePoint) {
    throw new AppError('FORBIDDEN', { permission: 'application.view' });
  }
  const { db } = ctx.database;
  const sp = actor.servicePoint.id;
  const today = todayInChina();
  const { columns, where, open } = boxFilter(q.box, today);
  const byDue = q.sort === 'due_date';
  const c = q.cursor ? decode(q.cursor, q.sort) : null;
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
    query = query.where('a.submitted_by', '=', actor.userId).where(after);
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
  const rows = await ordered(query)
    .select(
      byDue
        ? sql<string>`to_char(${DUE}, 'YYYY-MM-DD') || ' ' || ${SUBMITTED_UTC}`.as('sort_key')
        : SUBMITTED_UTC.as('sort_key'),
    )
    .limit(take)
    .execute();
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1];
  return {
    items: page.map((r) => presentSummary(r, lang, today)),
    nextCursor: rows.length > q.limit && last ? encode({ k: last.sort_key, id: last.id }) : null,
  };
}

/** A citizen's own cases, newest first. */
export async function myApplications(ctx: AppContext, actor: Actor, limit: number, lang: Lang) {
  if (actor.kind !== 'citizen' || !actor.residentId) return { items: [], nextCursor: null };
  const rows = await summaryQuery(ctx.database.db)
    .where('a.applicant_id', '=', actor.residentId)
    .orderBy('a.submitted_at', 'desc')
    .limit(limit)
    .execute();
  const today = todayInChina();
  return { items: rows.map((r) => presentSummary(r, lang, today)), nextCursor: null };
}

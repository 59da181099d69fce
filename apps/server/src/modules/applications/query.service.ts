import {
  ACTION_NAMES,
  type ApplicationDetail,
  type ApplicationSummary,
  STATUS_LABELS,
  todayInChina,
  WORKFLOW,
  type WORKLIST_BOXES,
} from '@yimen/core';
import { type SqlBool, sql } from 'kysely';
import { jsonArrayFrom, jsonObjectFrom } from 'kysely/helpers/postgres';
import type { AppContext } from '../../app-context.ts';
import { type Actor, hasPermission } from '../../auth/actor.ts';
import type { Db } from '../../db/connection.ts';
import { AppError, type Lang } from '../../errors.ts';
import { canSeeApplication } from './access.ts';
import { loadContent, mayTake } from './actions.service.ts';
import type * as repo from './applications.repo.ts';
import { lightFor } from './clock.ts';

const TERMINAL = ['concluded', 'refused', 'withdrawn'] as const;

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
const pointRegion = new Map<string, string>();
const POINT_REGION_MAX = 50_000;

async function regionOfPoint(db: Db, id: string): Promise<string> {
  const known = pointRegion.get(id);
  if (known !== undefined) return known;
  const v = await db
    .selectFrom('service_point')
    .select('region_code')
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  if (pointRegion.size >= POINT_REGION_MAX) pointRegion.clear();
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
  const applicant = {
    id: row.applicant_id,
    name: found.p_name,
    id_number_masked: found.p_id_number_masked,
  };
  const cert = found.cert_no === null ? undefined : { certificate_no: found.cert_no };
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
      id: applicant.id,
      name: applicant.name,
      idNumberMasked: applicant.id_number_masked,
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
    certificateNo: cert?.certificate_no ?? null,
    correction:
      row.status === 'correction_requested' && lastCorrection ? lastCorrection.payload : null,
    rating: rating ? { grade: rating.grade, comment: rating.comment } : null,
  };
}

interface Cursor {
  k: string;
  id: string;
}
const encode = (c: Cursor) => Buffer.from(JSON.stringify(c)).toString('base64url');
function decode(s: string): Cursor {
  try {
    const c = JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as Cursor;
    if (typeof c.k === 'string' && typeof c.id === 'string' && /^[0-9a-f-]{36}$/.test(c.id))
      return c;
  } catch {
    // fall through
  }
  throw new AppError('VALIDATION_FAILED', {}, [
    { field: 'query.cursor', message: { zh: '游标无效', en: 'invalid cursor' } },
  ]);
}

/**
 * The worklist of the actor's service point, one box at a time, sorted by due date (or by
 * submission), paged by a keyset cursor so page 40 is as fast as page 1.
 */
export async function worklist(
  ctx: AppContext,
  actor: Actor,
  q: {
    box: (typeof WORKLIST_BOXES)[number];
    limit: number;
    cursor?: string | undefined;
    sort: 'due_date' | 'submitted_at';
  },
  lang: Lang,
) {
  if (actor.kind !== 'staff' || !hasPermission(actor, 'application.view') || !actor.servicePoint) {
    throw new AppError('FORBIDDEN', { permission: 'application.view' });
  }
  const sp = actor.servicePoint.id;
  const today = todayInChina();
  let query = summaryQuery(ctx.database.db);
  const anyUnit = sql<SqlBool>`(a.received_sp_id = ${sp} OR a.accepting_sp_id = ${sp} OR a.deciding_sp_id = ${sp} OR a.deliver_sp_id = ${sp})`;
  // Written out, not bound: the planner must see that it matches the predicate of the
  // open-case indexes (migration 0011) to use them for the boxes that span every role.
  const open = sql<SqlBool>`a.status NOT IN ('concluded', 'refused', 'withdrawn')`;
  switch (q.box) {
    case 'to_accept':
      query = query
        .where('a.accepting_sp_id', '=', sp)
        .where('a.status', 'in', ['pending_pre_review', 'pending_acceptance']);
      break;
    case 'to_review':
      query = query.where('a.deciding_sp_id', '=', sp).where('a.status', '=', 'under_review');
      break;
    case 'to_decide':
      query = query
        .where('a.deciding_sp_id', '=', sp)
        .where('a.status', 'in', ['under_review', 'pending_decision']);
      break;
    case 'to_issue':
      query = query.where('a.deciding_sp_id', '=', sp).where('a.status', '=', 'approved');
      break;
    case 'to_hand_over':
      query = query.where('a.deliver_sp_id', '=', sp).where('a.status', '=', 'issued');
      break;
    case 'due_soon':
      query = query
        .where(anyUnit)
        .where(open)
        .where('a.clock_running_since', 'is not', null)
        .where('a.warn_date', '<=', today)
        .where('a.due_date', '>=', today);
      break;
    case 'overdue':
      query = query
        .where(anyUnit)
        .where(open)
        .where('a.clock_running_since', 'is not', null)
        .where('a.due_date', '<', today);
      break;
    case 'in_progress':
      query = query.where(anyUnit).where(open);
      break;
    case 'done':
      query = query.where(anyUnit).where('a.status', 'in', TERMINAL);
      break;
    case 'mine':
      query = query.where('a.submitted_by', '=', actor.userId);
      break;
  }
  const key =
    q.sort === 'due_date'
      ? sql<string>`COALESCE(a.due_date::text, '9999-12-31') || ' ' || to_char(a.submitted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US')`
      : sql<string>`to_char(a.submitted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US')`;
  const dir = q.sort === 'due_date' ? 'asc' : 'desc';
  if (q.cursor) {
    const c = decode(q.cursor);
    query = query.where(
      dir === 'asc'
        ? sql<SqlBool>`(${key}, a.id) > (${c.k}, ${c.id}::uuid)`
        : sql<SqlBool>`(${key}, a.id) < (${c.k}, ${c.id}::uuid)`,
    );
  }
  const rows = await query
    .select(key.as('sort_key'))
    .orderBy(key, dir)
    .orderBy('a.id', dir)
    .limit(q.limit + 1)
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

import {
  type CreateResidentInput,
  type ResidentDetail,
  type ResidentListQuery,
  type UpdateResidentInput,
  validateIdNumber,
} from '@yimen/core';
import type { AppContext } from '../../app-context.ts';
import {
  type Actor,
  inJurisdiction,
  jurisdictionOf,
  type RequestMeta,
  requirePermission,
} from '../../auth/actor.ts';
import type { Db } from '../../db/connection.ts';
import { AppError } from '../../errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { pinyinOf } from '../regions/regions.import.ts';
import { requireRegion } from '../regions/regions.service.ts';
import {
  loadHousehold,
  lockHouseholdForMember,
  requireVillageInJurisdiction,
} from './households.service.ts';
import { auditRecord, presentDetail, presentSummary } from './residents.presenter.ts';
import * as repo from './residents.repo.ts';
import { sealIdNumber } from './residents.seal.ts';

/** 登记: registers a resident in a village of the actor's jurisdiction. */
export async function createResident(
  ctx: AppContext,
  trx: Db,
  actor: Actor,
  meta: RequestMeta,
  input: CreateResidentInput,
): Promise<ResidentDetail> {
  requirePermission(actor, 'resident.write');
  const id = validateIdNumber(input.idNumber);
  if (!id.ok)
    throw new AppError('VALIDATION_FAILED', {}, [{ field: 'body.idNumber', message: id.message }]);
  const cipher = ctx.keys.personalData;
  const hmac = cipher.lookupHash(id.value);
  await requireVillageInJurisdiction(trx, actor, input.regionCode);
  if (input.householdId) {
    await lockHouseholdForMember(trx, actor, {
      householdId: input.householdId,
      regionCode: input.regionCode,
      relationship: input.relationship ?? null,
    });
  }
  if (await repo.findResidentByHmac(trx, hmac)) throw new AppError('ID_NUMBER_TAKEN');
  const row = await repo
    .insertResident(trx, {
      name: input.name,
      ...sealIdNumber(cipher, id.value),
      sex: id.sex,
      mobile: input.mobile ?? null,
      region_code: input.regionCode,
      household_id: input.householdId ?? null,
      relationship: input.relationship ?? null,
      name_pinyin: pinyinOf(input.name).full,
    })
    .catch((err: unknown) => {
      if (repo.isUniqueViolation(err)) throw new AppError('ID_NUMBER_TAKEN');
      throw err;
    });
  await recordAudit(trx, {
    actor,
    meta,
    action: 'resident.create',
    targetType: 'resident',
    targetId: row.id,
    regionCode: row.region_code,
    after: auditRecord(row),
  });
  return detailOf(trx, row, id.value);
}

/** The detail view of a row, with its household; `idNumber` is the decrypted number. */
async function detailOf(trx: Db, row: repo.ResidentRow, idNumber: string) {
  const household = row.household_id ? await loadHousehold(trx, row.household_id) : null;
  return presentDetail(row, idNumber, household);
}

/**
 * The detail view with the full ID number and mobile. Staff see residents registered in
 * their jurisdiction; a citizen sees the resident their account is linked to. Anyone else
 * gets the same 404 as for a resident that does not exist. Every such view writes
 * `resident.idNumber.read` in the transaction that reads it: no audit row, no number.
 */
export async function getResident(
  ctx: AppContext,
  trx: Db,
  actor: Actor,
  meta: RequestMeta,
  id: string,
): Promise<ResidentDetail> {
  if (actor.kind === 'staff') requirePermission(actor, 'resident.read');
  const row = await repo.findResident(trx, id);
  const allowed =
    actor.kind === 'staff' ? inJurisdiction(actor, row?.region_code) : actor.residentId === id;
  if (!row || !allowed) throw new AppError('RESIDENT_NOT_FOUND');
  const idNumber = ctx.keys.personalData.decrypt(row.id_number_cipher);
  await recordAudit(trx, {
    actor,
    meta,
    action: 'resident.idNumber.read',
    targetType: 'resident',
    targetId: row.id,
    regionCode: row.region_code,
    after: { idNumberMasked: row.id_number_masked, revealed: ['idNumber', 'mobile'] },
  });
  return detailOf(trx, row, idNumber);
}

/** Changes name, mobile or household membership; before and after go to the audit trail. */
export async function updateResident(
  ctx: AppContext,
  trx: Db,
  actor: Actor,
  meta: RequestMeta,
  id: string,
  input: UpdateResidentInput,
): Promise<ResidentDetail> {
  requirePermission(actor, 'resident.write');
  const row = await repo.findResident(trx, id, { forUpdate: true });
  if (!row || !inJurisdiction(actor, row.region_code)) throw new AppError('RESIDENT_NOT_FOUND');
  const { householdId, relationship } = membershipAfter(row, input);
  if (
    householdId !== null &&
    (householdId !== row.household_id || relationship !== row.relationship)
  ) {
    await lockHouseholdForMember(trx, actor, {
      householdId,
      regionCode: row.region_code,
      relationship,
      residentId: row.id,
    });
  }
  const name = input.name ?? row.name;
  const updated = await repo.updateResident(trx, id, {
    name,
    name_pinyin: pinyinOf(name).full,
    mobile: input.mobile === undefined ? row.mobile : input.mobile,
    household_id: householdId,
    relationship,
  });
  await recordAudit(trx, {
    actor,
    meta,
    action: 'resident.update',
    targetType: 'resident',
    targetId: id,
    regionCode: row.region_code,
    before: auditRecord(row),
    after: auditRecord(updated),
  });
  return detailOf(trx, updated, ctx.keys.personalData.decrypt(row.id_number_cipher));
}

/**
 * The household and relationship a change leaves the resident with. Leaving the household
 * ends the relationship to its head, unless one is given; a member has one, and only a
 * member.
 */
function membershipAfter(row: repo.ResidentRow, input: UpdateResidentInput) {
  const householdId = input.householdId === undefined ? row.household_id : input.householdId;
  const relationship =
    input.relationship !== undefined
      ? input.relationship
      : input.householdId === null
        ? null
        : row.relationship;
  if ((householdId === null) !== (relationship === null)) {
    throw new AppError('VALIDATION_FAILED', {}, [
      {
        field: 'body.relationship',
        message: {
          zh: '户内成员须填写与户主关系，不在户内则不填',
          en: 'a member of a household has a relationship, and only a member has one',
        },
      },
    ]);
  }
  return { householdId, relationship };
}

/**
 * Two ways to find people, both answering the masked summary only.
 *
 * - By the full ID number (exact, through the keyed hash): ANY staff member with
 *   resident.read, wherever they work. Whoever holds the card in hand at the counter may
 *   find its holder: 无差别受理 at any window and 跨域通办 (accept here, route to the owning
 *   jurisdiction) depend on it. The full number and the detail view stay with the
 *   resident's own jurisdiction.
 * - Browsing by name or pinyin within a region: only inside the actor's jurisdiction; a
 *   region outside it answers 404 like one that does not exist.
 */
export async function findResidents(ctx: AppContext, actor: Actor, query: ResidentListQuery) {
  requirePermission(actor, 'resident.read');
  const { db } = ctx.database;
  if (query.idNumber !== undefined) {
    if (query.q || query.within || query.cursor) {
      throw new AppError('BAD_REQUEST', {
        reason:
          'idNumber 为精确查找，不能与 q、within、cursor 同用 / idNumber is an exact lookup: no q, within or cursor with it',
      });
    }
    const row = await repo.findResidentByHmac(db, ctx.keys.personalData.lookupHash(query.idNumber));
    return { items: row ? [presentSummary(row)] : [], nextCursor: null };
  }
  let within = jurisdictionOf(actor) ?? undefined;
  if (query.within) {
    const region = await requireRegion(db, query.within);
    if (!inJurisdiction(actor, region.code)) {
      throw new AppError('REGION_NOT_FOUND', { code: region.code });
    }
    within = region.code;
  }
  const rows = await repo.listResidents(db, {
    within,
    q: query.q,
    after: query.cursor ? decodeCursor(query.cursor) : undefined,
    limit: query.limit + 1,
  });
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  return {
    items: page.map(presentSummary),
    nextCursor: rows.length > query.limit && last ? encodeCursor(last) : null,
  };
}

function encodeCursor(r: repo.ResidentRow): string {
  return Buffer.from(JSON.stringify([r.name_pinyin, r.id])).toString('base64url');
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function decodeCursor(cursor: string): { pinyin: string; id: string } {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      typeof value[0] === 'string' &&
      typeof value[1] === 'string' &&
      UUID.test(value[1])
    ) {
      return { pinyin: value[0], id: value[1] };
    }
  } catch {
    // falls through to the 400 below
  }
  throw new AppError('BAD_REQUEST', {
    reason:
      'cursor 无效，请使用上一页的 nextCursor / invalid cursor: use nextCursor of the last page',
  });
}

import type { CreateHouseholdInput, Household, Relationship } from '@yimen/core';
import {
  type Actor,
  inJurisdiction,
  type RequestMeta,
  requirePermission,
} from '../../auth/actor.ts';
import type { Db } from '../../db/connection.ts';
import { AppError } from '../../errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { findRegion } from '../regions/regions.repo.ts';
import { presentHousehold } from './residents.presenter.ts';
import * as repo from './residents.repo.ts';

/**
 * A village where the actor may register people or households. A village outside the
 * jurisdiction answers like one that does not exist.
 */
export async function requireVillageInJurisdiction(
  trx: Db,
  actor: Actor,
  code: string,
): Promise<void> {
  const region = await findRegion(trx, code);
  if (region?.level !== 'village' || !inJurisdiction(actor, region.code)) {
    throw new AppError('REGION_NOT_FOUND', { code });
  }
}

/**
 * Locks the household a resident joins (or changes relationship in) and checks the rules:
 * in the actor's jurisdiction, registered in the resident's village, one head only.
 */
export async function lockHouseholdForMember(
  trx: Db,
  actor: Actor,
  params: {
    householdId: string;
    regionCode: string;
    relationship: Relationship | null;
    residentId?: string;
  },
): Promise<repo.HouseholdRow> {
  const household = await repo.findHousehold(trx, params.householdId, { forUpdate: true });
  if (!household || !inJurisdiction(actor, household.region_code)) {
    throw new AppError('HOUSEHOLD_NOT_FOUND');
  }
  if (household.region_code !== params.regionCode) {
    throw new AppError('VALIDATION_FAILED', {}, [
      {
        field: 'body.householdId',
        message: {
          zh: '该户的户籍所在村与居民的不一致',
          en: 'the household is registered in another village than the resident',
        },
      },
    ]);
  }
  if (params.relationship === 'head') {
    const head = await repo.findHead(trx, household.id);
    if (head && head.id !== params.residentId) throw new AppError('HOUSEHOLD_HEAD_TAKEN');
  }
  return household;
}

export async function loadHousehold(trx: Db, id: string): Promise<Household | null> {
  const household = await repo.findHousehold(trx, id);
  if (!household) return null;
  return presentHousehold(household, await repo.listMembers(trx, id));
}

/** 立户: opens a household in a village of the actor's jurisdiction. */
export async function createHousehold(
  trx: Db,
  actor: Actor,
  meta: RequestMeta,
  input: CreateHouseholdInput,
): Promise<Household> {
  requirePermission(actor, 'resident.write');
  await requireVillageInJurisdiction(trx, actor, input.regionCode);
  const householdNo = input.householdNo ?? (await repo.nextHouseholdNo(trx, input.regionCode));
  if (await repo.householdNoExists(trx, householdNo)) {
    throw new AppError('HOUSEHOLD_NO_TAKEN', { householdNo });
  }
  const row = await repo
    .insertHousehold(trx, {
      household_no: householdNo,
      region_code: input.regionCode,
      address: input.address,
    })
    .catch((err: unknown) => {
      if (repo.isUniqueViolation(err)) throw new AppError('HOUSEHOLD_NO_TAKEN', { householdNo });
      throw err;
    });
  const household = presentHousehold(row, []);
  await recordAudit(trx, {
    actor,
    meta,
    action: 'household.create',
    targetType: 'household',
    targetId: row.id,
    regionCode: row.region_code,
    after: household,
  });
  return household;
}

/**
 * A household with its members (masked numbers). Staff see households of their
 * jurisdiction; a citizen sees the one their own resident belongs to. Anything else is
 * 404, like a household that does not exist.
 */
export async function getHousehold(db: Db, actor: Actor, id: string): Promise<Household> {
  if (actor.kind === 'staff') requirePermission(actor, 'resident.read');
  const household = await repo.findHousehold(db, id);
  let allowed = false;
  if (household && actor.kind === 'staff') {
    allowed = inJurisdiction(actor, household.region_code);
  } else if (household && actor.residentId) {
    const own = await repo.findResident(db, actor.residentId);
    allowed = own?.household_id === household.id;
  }
  if (!household || !allowed) throw new AppError('HOUSEHOLD_NOT_FOUND');
  return presentHousehold(household, await repo.listMembers(db, id));
}

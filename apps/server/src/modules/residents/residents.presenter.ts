import { type Household, maskMobile, type ResidentDetail, type ResidentSummary } from '@yimen/core';
import type { HouseholdRow, MemberRow, ResidentRow } from './residents.repo.ts';

export function presentSummary(r: ResidentRow): ResidentSummary {
  return {
    id: r.id,
    name: r.name,
    idNumberMasked: r.id_number_masked,
    sex: r.sex,
    mobileMasked: r.mobile ? maskMobile(r.mobile) : null,
    regionCode: r.region_code,
    householdId: r.household_id,
    relationship: r.relationship,
  };
}

export function presentHousehold(h: HouseholdRow, members: MemberRow[]): Household {
  return {
    id: h.id,
    householdNo: h.household_no,
    regionCode: h.region_code,
    address: h.address,
    createdAt: h.created_at.toISOString(),
    members: members.map((m) => ({
      id: m.id,
      name: m.name,
      idNumberMasked: m.id_number_masked,
      sex: m.sex,
      relationship: m.relationship,
    })),
  };
}

/** The full view; `idNumber` is the decrypted number, which the caller has audited. */
export function presentDetail(
  r: ResidentRow,
  idNumber: string,
  household: Household | null,
): ResidentDetail {
  return {
    id: r.id,
    name: r.name,
    idNumber,
    idNumberMasked: r.id_number_masked,
    // Read from the number, not stored: see migration 0005.
    birthDate: `${idNumber.slice(6, 10)}-${idNumber.slice(10, 12)}-${idNumber.slice(12, 14)}`,
    sex: r.sex,
    mobile: r.mobile,
    regionCode: r.region_code,
    relationship: r.relationship,
    household,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

/**
 * What the audit trail keeps of a resident. Never the birth date: with the masked number
 * (first 6 and last 4 characters) it is the whole ID number. The mobile goes in whole and
 * recordAudit masks it.
 */
export function auditRecord(r: ResidentRow) {
  return {
    id: r.id,
    name: r.name,
    idNumberMasked: r.id_number_masked,
    sex: r.sex,
    mobile: r.mobile,
    regionCode: r.region_code,
    householdId: r.household_id,
    relationship: r.relationship,
  };
}

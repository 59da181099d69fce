import { ancestorCodes, type Me, maskMobile, ROLE_LABELS, type Role } from '@yimen/core';
import type { Actor } from '../../auth/actor.ts';
import type { Db } from '../../db/connection.ts';
import type { Lang } from '../../errors.ts';
import { findRegions } from '../regions/regions.repo.ts';

/** The signed-in user as `GET /api/v1/me` shows them. */
export async function presentMe(db: Db, actor: Actor, lang: Lang): Promise<Me> {
  const user = await db
    .selectFrom('app_user')
    .leftJoin('service_point', 'service_point.id', 'app_user.service_point_id')
    .leftJoin('resident', 'resident.id', 'app_user.resident_id')
    .select([
      'app_user.mobile',
      'service_point.kind as sp_kind',
      'resident.id as resident_id',
      'resident.name as resident_name',
      'resident.id_number_masked',
    ])
    .where('app_user.id', '=', actor.userId)
    .executeTakeFirstOrThrow();
  const sp = actor.servicePoint;
  const regionCode = sp?.regionCode;
  const path = regionCode
    ? (await findRegions(db, [...ancestorCodes(regionCode), regionCode]))
        .sort((a, b) => a.code.length - b.code.length)
        .map((r) => ({ code: r.code, name: r.name, level: r.level }))
    : [];
  return {
    id: actor.userId,
    kind: actor.kind,
    name: actor.name,
    username: actor.username,
    roles: actor.roles.map((role: Role) => ({
      role,
      label: lang === 'en' ? ROLE_LABELS[role].en : ROLE_LABELS[role].zh,
    })),
    servicePoint:
      sp && user.sp_kind
        ? { code: sp.code, name: sp.name, kind: user.sp_kind, regionCode: sp.regionCode }
        : null,
    regionPath: path,
    department: actor.department,
    mobileMasked: user.mobile ? maskMobile(user.mobile) : null,
    resident:
      user.resident_id && user.resident_name && user.id_number_masked
        ? { id: user.resident_id, name: user.resident_name, idNumberMasked: user.id_number_masked }
        : null,
  };
}

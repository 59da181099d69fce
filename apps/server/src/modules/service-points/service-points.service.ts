import type { ServicePoint } from '@yimen/core';
import type { Db } from '../../db/connection.ts';
import type { ServicePointKind } from '../../db/schema.ts';
import { AppError } from '../../errors.ts';
import { parseRegionCode } from '../regions/regions.service.ts';
import * as repo from './service-points.repo.ts';

function presentServicePoint(r: repo.ServicePointRow): ServicePoint {
  return {
    code: r.code,
    name: r.name,
    kind: r.kind,
    regionCode: r.region_code,
    address: r.address,
    phone: r.phone,
    active: r.active,
  };
}

export async function getServicePoint(db: Db, code: string): Promise<ServicePoint> {
  const row = await repo.findServicePoint(db, code);
  if (!row) throw new AppError('SERVICE_POINT_NOT_FOUND', { code });
  return presentServicePoint(row);
}

export async function listServicePoints(
  db: Db,
  query: {
    within?: string | undefined;
    kind?: ServicePointKind | undefined;
    limit: number;
    cursor?: string | undefined;
  },
) {
  const within = query.within ? parseRegionCode(query.within) : undefined;
  const rows = await repo.listServicePoints(
    db,
    { within, kind: query.kind },
    query.limit + 1,
    query.cursor,
  );
  const more = rows.length > query.limit;
  const items = rows.slice(0, query.limit).map(presentServicePoint);
  return { items, nextCursor: more ? (items[items.length - 1]?.code ?? null) : null };
}

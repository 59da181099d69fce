import {
  type ItemContent,
  isWithinRegion,
  levelOfCode,
  levelRank,
  type ServiceLevel,
} from '@yimen/core';
import type { Db } from '../../db/connection.ts';
import { AppError } from '../../errors.ts';
import { type ServiceUnit, unitAt } from './units.repo.ts';

/**
 * 村级受理、乡镇审批、村级拿证: from the item's routing and the places involved, which unit
 * accepts the case, which decides it, and where the result goes back to.
 */
const CODE_LENGTH: Record<ServiceLevel, number> = {
  village: 12,
  township: 9,
  county: 6,
  city: 4,
  province: 2,
};
const SCOPE_LENGTH: Record<string, number> = {
  none: 0,
  county: 6,
  city: 4,
  province: 2,
  nationwide: 0,
};

export interface Routing {
  accepting: ServiceUnit;
  deciding: ServiceUnit;
  delivering: ServiceUnit;
  owningRegion: string;
  crossRegion: boolean;
}

/** The service point of `level` that `regionCode` lies in (the township centre of a village…). */
async function unitOfLevel(db: Db, regionCode: string, level: ServiceLevel): Promise<ServiceUnit> {
  const code = regionCode.slice(0, CODE_LENGTH[level]);
  const unit = await unitAt(db, code);
  if (!unit) throw new AppError('NO_SERVICE_POINT', { region: code, level });
  return unit;
}

export async function routeApplication(
  db: Db,
  content: ItemContent,
  places: { received: ServiceUnit; owningRegion: string; deliverTo?: ServiceUnit | undefined },
): Promise<Routing> {
  const { routing } = content;
  const owning = places.owningRegion;
  const received = places.received;
  // Received outside the owning jurisdiction: allowed within the item's cross-region scope.
  const decidingRegion = owning.slice(0, CODE_LENGTH[routing.decideLevel]);
  const crossRegion = !isWithinRegion(received.regionCode, decidingRegion);
  if (crossRegion) {
    const scope = routing.crossRegion;
    const len = SCOPE_LENGTH[scope] ?? 0;
    const inScope =
      scope === 'nationwide' ||
      (scope !== 'none' && received.regionCode.slice(0, len) === owning.slice(0, len));
    if (!inScope) {
      throw new AppError('NOT_CROSS_REGION', { scope, received: received.regionCode, owning });
    }
  }
  const deciding = await unitOfLevel(db, owning, routing.decideLevel);
  // The receiving point accepts when it is at the accepting level or above; a village station
  // receiving a township item passes it to its own township centre.
  const receivedLevel = levelOfCode(received.regionCode) as ServiceLevel;
  const accepting =
    levelRank(receivedLevel) >= levelRank(routing.acceptLevel)
      ? received
      : await unitOfLevel(db, received.regionCode, routing.acceptLevel);
  return {
    accepting,
    deciding,
    delivering: places.deliverTo ?? received,
    owningRegion: owning,
    crossRegion,
  };
}

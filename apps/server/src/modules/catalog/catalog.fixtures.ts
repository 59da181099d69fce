import type { Db } from '../../db/connection.ts';
import { createStaff } from '../../test/factories.ts';

/** The catalogue's editors in tests: the city's admin, and Taojiang county's (430922). */
export async function createCatalogAdmins(db: Db) {
  return {
    cityAdmin: await createStaff(db, { roles: ['city_admin'], servicePointCode: '4309' }),
    taojiangAdmin: await createStaff(db, {
      roles: ['county_admin'],
      servicePointCode: '430922',
    }),
  };
}

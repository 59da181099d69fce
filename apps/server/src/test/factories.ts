import { makeTestIdNumber, type Role } from '@yimen/core';
import type { Db } from '../db/connection.ts';
import { hashPassword } from '../modules/accounts/passwords.ts';
import { createSession } from '../modules/accounts/sessions.ts';

/**
 * Factories build what a test needs through the same tables the app uses; a session comes
 * back as a bearer token, so tests call the API as a real client would.
 */
let counter = 0;
const unique = (prefix: string) => `${prefix}${process.pid}x${++counter}`;

export const TEST_PASSWORD = 'Test-pass-2026';
let cachedHash: string | undefined;

export async function createStaff(
  db: Db,
  opts: {
    roles: Role[];
    servicePointCode: string;
    username?: string;
    password?: string;
    department?: string;
  },
): Promise<{ id: string; username: string; token: string }> {
  const sp = await db
    .selectFrom('service_point')
    .select('id')
    .where('code', '=', opts.servicePointCode)
    .executeTakeFirstOrThrow();
  const username = opts.username ?? unique('staff');
  if (!opts.password && !cachedHash) cachedHash = await hashPassword(TEST_PASSWORD);
  const passwordHash = opts.password ? await hashPassword(opts.password) : cachedHash!;
  const user = await db
    .insertInto('app_user')
    .values({
      kind: 'staff',
      username,
      display_name: username,
      password_hash: passwordHash,
      service_point_id: sp.id,
      department: opts.department ?? null,
      password_changed_at: new Date(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (opts.roles.length > 0) {
    await db
      .insertInto('user_role')
      .values(opts.roles.map((role) => ({ user_id: user.id, role })))
      .execute();
  }
  const session = await createSession(db, {
    userId: user.id,
    kind: 'bearer',
    ttlMs: 3_600_000,
    ip: null,
    userAgent: 'test',
  });
  return { id: user.id, username, token: session.token };
}

export async function createCitizen(
  db: Db,
  opts: { mobile?: string; residentId?: string | null } = {},
): Promise<{ id: string; mobile: string; token: string }> {
  const mobile =
    opts.mobile ?? `139${String((process.pid * 1000 + ++counter) % 1e8).padStart(8, '0')}`;
  const user = await db
    .insertInto('app_user')
    .values({
      kind: 'citizen',
      display_name: mobile,
      mobile,
      resident_id: opts.residentId ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const session = await createSession(db, {
    userId: user.id,
    kind: 'bearer',
    ttlMs: 3_600_000,
    ip: null,
    userAgent: 'test',
  });
  return { id: user.id, mobile, token: session.token };
}

export function bearer(token: string): { authorization: string } {
  return { authorization: `Bearer ${token}` };
}

/** A valid synthetic ID number for a region, unique within the test process. */
export function idNumberFor(regionCode6: string, birth = '19560312'): string {
  const seq = String(++counter % 1000).padStart(3, '0');
  return makeTestIdNumber(regionCode6, birth, seq);
}

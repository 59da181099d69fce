import { type Insertable, type Selectable, sql, type Updateable } from 'kysely';
import type { Keys } from '../../crypto/keys.ts';
import type { Db } from '../../db/connection.ts';
import type { DepartmentSystemTable } from '../../db/schema.ts';
import type { SigningKey, VerifyingKey } from './signing.ts';

export type SystemRow = Selectable<DepartmentSystemTable>;

/** A department system with its credentials opened: how we sign to it, how we check it. */
export interface Connector {
  id: string;
  code: string;
  systemKey: string;
  name: string;
  baseUrl: string;
  clientId: string;
  timeoutMs: number;
  servicePointId: string | null;
  events: string[];
  active: boolean;
  signing: SigningKey;
  verifying: VerifyingKey;
}

export function openConnector(keys: Keys, row: SystemRow): Connector {
  let signing: SigningKey;
  let verifying: VerifyingKey;
  if (row.auth_kind === 'hmac') {
    const secret = keys.connector.decrypt(row.secret_cipher!, row.id).toString('utf8');
    signing = { kind: 'hmac', secret };
    verifying = signing;
  } else {
    signing = { kind: 'ed25519', pkcs8: keys.connector.decrypt(row.platform_key_cipher!, row.id) };
    verifying = { kind: 'ed25519', publicX: row.peer_public_key! };
  }
  return {
    id: row.id,
    code: row.code,
    systemKey: row.system_key,
    name: row.name,
    baseUrl: row.base_url.replace(/\/+$/, ''),
    clientId: row.client_id,
    timeoutMs: row.timeout_ms,
    servicePointId: row.service_point_id,
    events: row.events,
    active: row.active,
    signing,
    verifying,
  };
}

export function findSystem(db: Db, id: string) {
  return db.selectFrom('department_system').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findSystemByClientId(db: Db, clientId: string) {
  return db
    .selectFrom('department_system')
    .selectAll()
    .where('client_id', '=', clientId)
    .executeTakeFirst();
}

/**
 * The connected system that takes this item: active, serving the item's routing key, and
 * listing the item (or listing none, which means all of that key). A specific listing wins.
 */
export function systemForItem(db: Db, systemKey: string, itemCode: string) {
  return db
    .selectFrom('department_system')
    .selectAll()
    .where('active', '=', true)
    .where('system_key', '=', systemKey)
    .where(sql<boolean>`(cardinality(items) = 0 OR ${itemCode} = ANY(items))`)
    .orderBy(sql`cardinality(items) > 0`, 'desc')
    .orderBy('code')
    .executeTakeFirst();
}

/** The connectors as the admin console lists them, with the code of their office. */
export function listSystems(db: Db) {
  return db
    .selectFrom('department_system as s')
    .leftJoin('service_point as sp', 'sp.id', 's.service_point_id')
    .selectAll('s')
    .select('sp.code as sp_code')
    .orderBy('s.code');
}

/** A connector with this code or client id, if one exists. */
export function findClash(db: Db, code: string, clientId: string) {
  return db
    .selectFrom('department_system')
    .select(['code', 'client_id'])
    .where((eb) => eb.or([eb('code', '=', code), eb('client_id', '=', clientId)]))
    .executeTakeFirst();
}

export async function insertSystem(trx: Db, values: Insertable<DepartmentSystemTable>) {
  await trx.insertInto('department_system').values(values).execute();
}

export async function updateSystem(
  trx: Db,
  id: string,
  set: Updateable<DepartmentSystemTable>,
): Promise<void> {
  await trx.updateTable('department_system').set(set).where('id', '=', id).execute();
}

/** A service point's id by its code (a connector's office). */
export async function servicePointIdByCode(db: Db, code: string): Promise<string | undefined> {
  const sp = await db
    .selectFrom('service_point')
    .select('id')
    .where('code', '=', code)
    .executeTakeFirst();
  return sp?.id;
}

/** Bumped by every change to a connector in this process, so caches here drop at once. */
let generation = 0;
export function connectorsChanged(): void {
  generation++;
}

/**
 * Connectors as the dispatcher sees them, opened (secrets decrypted) and kept for a few
 * seconds: at thousands of messages a second, reading and decrypting the same row for each
 * one is most of the work. A change made through this process applies at once; one made
 * by another server process within `ttlMs`.
 */
export function connectorCache(db: Db, keys: Keys, ttlMs = 5_000) {
  const cache = new Map<string, { at: number; gen: number; connector: Connector | undefined }>();
  return async (id: string): Promise<Connector | undefined> => {
    const hit = cache.get(id);
    if (hit && hit.gen === generation && Date.now() - hit.at < ttlMs) return hit.connector;
    const gen = generation;
    const row = await findSystem(db, id);
    const connector = row ? openConnector(keys, row) : undefined;
    cache.set(id, { at: Date.now(), gen, connector });
    return connector;
  };
}

/** A signed call's nonce, accepted once per system; false when it was seen before. */
export async function useNonce(
  db: Db,
  systemId: string,
  nonce: string,
  expiresAt: Date,
): Promise<boolean> {
  const fresh = await db
    .insertInto('inbound_nonce')
    .values({ system_id: systemId, nonce, expires_at: expiresAt })
    .onConflict((oc) => oc.columns(['system_id', 'nonce']).doNothing())
    .returning('nonce')
    .executeTakeFirst();
  return fresh !== undefined;
}

/** Nonces go as soon as they leave the signature window: a replay is refused by the clock. */
export async function purgeNonces(db: Db): Promise<void> {
  await db.deleteFrom('inbound_nonce').where('expires_at', '<', new Date()).execute();
}

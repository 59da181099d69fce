import { type Selectable, sql } from 'kysely';
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

/** Active systems subscribed to an event, for cases of items they take. */
export function systemsForEvent(db: Db, event: string, systemKey: string | undefined) {
  return db
    .selectFrom('department_system')
    .select(['id', 'items', 'system_key'])
    .where('active', '=', true)
    .where(sql<boolean>`${event} = ANY(events)`)
    .$if(systemKey === undefined, (q) => q.where(sql<boolean>`false`))
    .$if(systemKey !== undefined, (q) => q.where('system_key', '=', systemKey!))
    .execute();
}

export function listSystems(db: Db) {
  return db
    .selectFrom('department_system as s')
    .leftJoin('service_point as sp', 'sp.id', 's.service_point_id')
    .selectAll('s')
    .select([
      'sp.code as sp_code',
      sql<number>`(SELECT count(*) FROM outbox o WHERE o.target_id = s.id AND o.status = 'pending')`.as(
        'pending',
      ),
      sql<number>`(SELECT count(*) FROM outbox o WHERE o.target_id = s.id AND o.status = 'dead')`.as(
        'dead',
      ),
      sql<number>`(SELECT count(*) FROM outbox o
        WHERE o.target_id = s.id AND o.status = 'pending' AND o.attempts > 0)`.as('failing'),
      sql<string | null>`(SELECT o.last_error FROM outbox o
        WHERE o.target_id = s.id AND o.status IN ('pending', 'dead') AND o.last_error IS NOT NULL
        ORDER BY o.id DESC LIMIT 1)`.as('last_error'),
    ])
    .orderBy('s.code');
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

import type { KeyObject } from 'node:crypto';
import { randomBytes } from 'node:crypto';
import type { SealJwk } from '@yimen/core';
import type { AppContext } from '../../app-context.ts';
import {
  type Actor,
  inJurisdiction,
  type RequestMeta,
  requirePermission,
} from '../../auth/actor.ts';
import { BoundedMap } from '../../bounded-map.ts';
import type { Keys } from '../../crypto/keys.ts';
import type { Db } from '../../db/connection.ts';
import { AppError } from '../../errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { chinaDate } from './certificate-payload.ts';
import { presentSeal } from './certificates.presenter.ts';
import * as repo from './certificates.repo.ts';
import { generateSealKeyPair, privateKeyFromPkcs8 } from './seal-crypto.ts';

/**
 * 一枚印章: each deciding unit signs with one Ed25519 key at a time. Rotation retires the
 * key but keeps it published, so what it signed still verifies.
 */
interface ActiveSeal {
  keyId: string;
  servicePointId: string;
  /** base64url raw 32 bytes (JWK x). */
  publicKey: string;
  privateKey: KeyObject;
}

/** The unit's signing key, made on first use. Call inside the issuing transaction. */
export async function getActiveSeal(
  trx: Db,
  keys: Keys,
  servicePointId: string,
): Promise<ActiveSeal> {
  let row = await repo.findActiveSeal(trx, servicePointId);
  if (!row) {
    // Two first issuances at one unit must not both make a key: the second waits here and
    // then finds the first one's.
    const sp = await repo.lockServicePoint(trx, servicePointId);
    if (!sp) throw new AppError('SERVICE_POINT_NOT_FOUND', { code: servicePointId });
    row = (await repo.findActiveSeal(trx, servicePointId)) ?? (await createSeal(trx, keys, sp));
  }
  return openSeal(keys, row);
}

/** Retires the unit's active key (if any) and makes a new one; the caller audits. */
async function rotateSeal(
  trx: Db,
  keys: Keys,
  servicePointId: string,
): Promise<{ retiredKeyId: string | null; active: repo.ActiveSealRow }> {
  const sp = await repo.lockServicePoint(trx, servicePointId);
  if (!sp) throw new AppError('SERVICE_POINT_NOT_FOUND', { code: servicePointId });
  const retired = await repo.retireActiveSeal(trx, servicePointId);
  const active = await createSeal(trx, keys, sp);
  return { retiredKeyId: retired?.key_id ?? null, active };
}

async function createSeal(trx: Db, keys: Keys, sp: { id: string; code: string }) {
  const keyId = `${sp.code}-${chinaDate(new Date()).replace(/-/g, '')}-${randomBytes(3).toString('hex')}`;
  const { publicX, pkcs8 } = generateSealKeyPair();
  try {
    return await repo.insertSeal(trx, {
      key_id: keyId,
      service_point_id: sp.id,
      public_key: publicX,
      private_key_cipher: keys.seal.encrypt(pkcs8, keyId),
    });
  } finally {
    pkcs8.fill(0);
  }
}

/**
 * Opened private keys by key id. A key id names one key for ever, so the KeyObject can be
 * kept: decrypting and parsing it was a tenth of the CPU of an issuance. The key material
 * lives in process memory either way while the process signs; retiring a key only stops
 * its use (findActiveSeal no longer answers it).
 */
const opened = new BoundedMap<string, ReturnType<typeof privateKeyFromPkcs8>>(1_000);

function openSeal(keys: Keys, row: repo.ActiveSealRow): ActiveSeal {
  let privateKey = opened.get(row.key_id);
  if (!privateKey) {
    const pkcs8 = keys.seal.decrypt(row.private_key_cipher, row.key_id);
    try {
      privateKey = privateKeyFromPkcs8(pkcs8);
    } finally {
      pkcs8.fill(0);
    }
    opened.set(row.key_id, privateKey);
  }
  return {
    keyId: row.key_id,
    servicePointId: row.service_point_id,
    publicKey: row.public_key,
    privateKey,
  };
}

/** Every seal key ever made, active and retired: the public half, for offline checks. */
export async function listPublishedSeals(db: Db): Promise<{ keys: SealJwk[] }> {
  const rows = await repo.listSeals(db);
  return { keys: rows.map((r) => presentSeal(r, { code: r.sp_code, name: r.sp_name })) };
}

/** Admin act: a new key for a unit within the actor's jurisdiction, audited. */
export async function rotateSealOf(
  ctx: AppContext,
  trx: Db,
  actor: Actor,
  meta: RequestMeta,
  servicePointCode: string,
): Promise<{ retiredKeyId: string | null; key: SealJwk }> {
  requirePermission(actor, 'servicePoint.manage');
  const sp = await repo.findServicePointByCode(trx, servicePointCode);
  if (!sp || !inJurisdiction(actor, sp.region_code)) {
    throw new AppError('SERVICE_POINT_NOT_FOUND', { code: servicePointCode });
  }
  const { retiredKeyId, active } = await rotateSeal(trx, ctx.keys, sp.id);
  await recordAudit(trx, {
    actor,
    meta,
    action: 'seal.rotate',
    targetType: 'seal_key',
    targetId: active.key_id,
    regionCode: sp.region_code,
    before: retiredKeyId ? { activeKeyId: retiredKeyId } : null,
    after: { activeKeyId: active.key_id, servicePoint: sp.code, retiredKeyId },
  });
  return { retiredKeyId, key: presentSeal(active, { code: sp.code, name: sp.name }) };
}

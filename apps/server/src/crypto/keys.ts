import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../config.ts';

/**
 * Keys derived from the one master secret: each use gets its own key through HKDF, so a
 * leak of one (say, the lookup hashes) says nothing about another.
 */
export interface Keys {
  personalData: PersonalDataCipher;
  /** The seals' Ed25519 private keys at rest. */
  seal: SealCipher;
  /** Department connectors' and webhook subscribers' secrets and private keys at rest. */
  connector: SealCipher;
}

export function loadMasterKey(config: Config): Buffer {
  if (config.secretKey) return Buffer.from(config.secretKey, 'base64');
  const file = path.join(config.dataDir, 'secret.key');
  if (fs.existsSync(file)) return Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64');
  if (!config.demo && config.database.kind === 'postgres') {
    throw new Error(
      '生产环境必须设置 YIMEN_SECRET_KEY（至少 32 字节随机数的 base64）。\n' +
        'Set YIMEN_SECRET_KEY (32+ random bytes, base64) when running on PostgreSQL outside demo mode: ' +
        'it encrypts ID numbers, and losing it loses them. Make one with: openssl rand -base64 32',
    );
  }
  const key = randomBytes(32);
  fs.mkdirSync(config.dataDir, { recursive: true });
  fs.writeFileSync(file, `${key.toString('base64')}\n`, { mode: 0o600 });
  return key;
}

export function deriveKeys(master: Buffer): Keys {
  const derive = (info: string) =>
    Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), `yimen:${info}`, 32));
  return {
    personalData: new PersonalDataCipher(derive('personal-data:enc'), derive('personal-data:hmac')),
    seal: new SealCipher(derive('seal:enc')),
    // Same construction as the seals (AES-256-GCM, the owner's id as associated data), under
    // its own derived key: a ciphertext moved to another connector's row does not open.
    connector: new SealCipher(derive('connector:enc')),
  };
}

/**
 * ID numbers at rest: AES-256-GCM ciphertext for showing in full to those allowed, and an
 * HMAC for finding a person by the number on their card, so that a dump of the database
 * holds neither the numbers nor anything one could brute-force without the key.
 */
export class PersonalDataCipher {
  constructor(
    private readonly encKey: Buffer,
    private readonly macKey: Buffer,
  ) {}

  encrypt(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.encKey, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return `v1.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')}`;
  }

  decrypt(sealed: string): string {
    if (!sealed.startsWith('v1.')) throw new Error('unknown personal-data cipher version');
    const raw = Buffer.from(sealed.slice(3), 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', this.encKey, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  }

  /** Deterministic: the same number always gives the same lookup hash. */
  lookupHash(plain: string): string {
    return createHmac('sha256', this.macKey).update(plain).digest('hex');
  }
}

/**
 * Seal private keys at rest: AES-256-GCM under their own derived key, with the key id as
 * associated data, so a ciphertext copied onto another seal's row does not open.
 */
export class SealCipher {
  constructor(private readonly key: Buffer) {}

  encrypt(plain: Buffer, keyId: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(keyId, 'utf8'));
    const body = Buffer.concat([cipher.update(plain), cipher.final()]);
    return `v1.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')}`;
  }

  decrypt(sealed: string, keyId: string): Buffer {
    if (!sealed.startsWith('v1.')) throw new Error('unknown seal cipher version');
    const raw = Buffer.from(sealed.slice(3), 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
    decipher.setAAD(Buffer.from(keyId, 'utf8'));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]);
  }
}

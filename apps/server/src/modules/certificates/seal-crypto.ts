import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  sign,
  verify,
} from 'node:crypto';

/**
 * Ed25519 with node:crypto only. Public keys travel as the raw 32 bytes in base64url (a
 * JWK's `x`), so anyone can rebuild them — the SPKI prefix below is all openssl needs.
 */
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

export function generateSealKeyPair(): { publicX: string; pkcs8: Buffer } {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const publicX = publicKey.export({ format: 'jwk' }).x;
  if (!publicX) throw new Error('ed25519 key without x');
  return { publicX, pkcs8: privateKey.export({ format: 'der', type: 'pkcs8' }) };
}

export function privateKeyFromPkcs8(pkcs8: Buffer): KeyObject {
  return createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });
}

function publicKeyFromX(x: string): KeyObject {
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x }, format: 'jwk' });
}

/** The signature over the UTF-8 bytes of `message`, base64url. */
export function signMessage(privateKey: KeyObject, message: string): string {
  return sign(null, Buffer.from(message, 'utf8'), privateKey).toString('base64url');
}

/** False rather than throwing for a malformed key or signature: it is simply not genuine. */
export function verifyMessage(publicX: string, message: string, signature: string): boolean {
  try {
    const sig = Buffer.from(signature, 'base64url');
    if (sig.length !== 64) return false;
    return verify(null, Buffer.from(message, 'utf8'), publicKeyFromX(publicX), sig);
  } catch {
    return false;
  }
}

/** PEM for `openssl pkeyutl -verify -pubin -inkey` and friends. */
export function spkiPemFromX(x: string): string {
  const der = Buffer.concat([ED25519_SPKI_PREFIX, Buffer.from(x, 'base64url')]);
  const b64 = der.toString('base64').replace(/.{1,64}/g, '$&\n');
  return `-----BEGIN PUBLIC KEY-----\n${b64}-----END PUBLIC KEY-----\n`;
}

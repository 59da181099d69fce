import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { privateKeyFromPkcs8, signMessage, verifyMessage } from '../certificates/seal-crypto.ts';

/**
 * How the platform and a department system sign their HTTP calls to each other, X-Road
 * style: a signature over the method, the path with its query, a timestamp, a one-time
 * nonce and the SHA-256 of the exact body bytes. The nonce is signed too, so a captured
 * request cannot be replayed inside the time window under a fresh nonce.
 */
export const H = {
  system: 'x-yimen-system',
  timestamp: 'x-yimen-timestamp',
  nonce: 'x-yimen-nonce',
  signature: 'x-yimen-signature',
  messageId: 'x-yimen-message-id',
  applicationNo: 'x-yimen-application-no',
  requestId: 'x-request-id',
} as const;

/** The platform's name in x-yimen-system on the calls it makes. */
export const PLATFORM_SYSTEM_ID = 'yimen';
/** How far a timestamp may be from our clock, either way. */
export const SIGNATURE_WINDOW_S = 300;

export function sha256Hex(body: string | Buffer): string {
  return createHash('sha256').update(body).digest('hex');
}

export function canonicalRequest(p: {
  method: string;
  path: string;
  timestamp: string;
  nonce: string;
  body: string | Buffer;
}): string {
  return [p.method.toUpperCase(), p.path, p.timestamp, p.nonce, sha256Hex(p.body)].join('\n');
}

/** A signer: HMAC-SHA256 with a shared secret, or Ed25519 with a private key (PKCS#8). */
export type SigningKey = { kind: 'hmac'; secret: string } | { kind: 'ed25519'; pkcs8: Buffer };
/** A verifier: the same shared secret, or the other side's Ed25519 public key (JWK x). */
export type VerifyingKey = { kind: 'hmac'; secret: string } | { kind: 'ed25519'; publicX: string };

export function signCanonical(key: SigningKey, canonical: string): string {
  if (key.kind === 'hmac')
    return createHmac('sha256', key.secret).update(canonical).digest('base64url');
  return signMessage(privateKeyFromPkcs8(key.pkcs8), canonical);
}

export function verifyCanonical(key: VerifyingKey, canonical: string, signature: string): boolean {
  if (key.kind === 'ed25519') return verifyMessage(key.publicX, canonical, signature);
  const expected = Buffer.from(signCanonical(key, canonical));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** The headers of a signed request from `system`. */
export function signedHeaders(p: {
  system: string;
  key: SigningKey;
  method: string;
  path: string;
  body: string;
  messageId?: string | undefined;
  now?: number;
}): Record<string, string> {
  const timestamp = String(Math.floor((p.now ?? Date.now()) / 1000));
  const nonce = randomBytes(16).toString('base64url');
  const canonical = canonicalRequest({ ...p, timestamp, nonce });
  return {
    [H.system]: p.system,
    [H.timestamp]: timestamp,
    [H.nonce]: nonce,
    [H.signature]: signCanonical(p.key, canonical),
    ...(p.messageId ? { [H.messageId]: p.messageId } : {}),
  };
}

export type SignatureProblem =
  | 'unsigned'
  | 'stale timestamp'
  | 'bad signature'
  | 'malformed headers';

/** Checks the signature headers of a request (not the nonce: that needs the database). */
export function checkSignature(
  headers: Record<string, string | string[] | undefined>,
  req: { method: string; path: string; body: string | Buffer },
  key: VerifyingKey,
  now = Date.now(),
): SignatureProblem | null {
  const one = (name: string) => {
    const v = headers[name];
    return typeof v === 'string' ? v : undefined;
  };
  const timestamp = one(H.timestamp);
  const nonce = one(H.nonce);
  const signature = one(H.signature);
  if (!timestamp || !nonce || !signature) return 'unsigned';
  if (!/^\d{1,12}$/.test(timestamp) || !/^[A-Za-z0-9_-]{16,64}$/.test(nonce))
    return 'malformed headers';
  if (Math.abs(now / 1000 - Number(timestamp)) > SIGNATURE_WINDOW_S) return 'stale timestamp';
  const canonical = canonicalRequest({ ...req, timestamp, nonce });
  return verifyCanonical(key, canonical, signature) ? null : 'bad signature';
}

// Opaque secrets handed to clients (refresh tokens, personal access tokens, invite links) and the
// keyed hash under which they are stored: a database leak alone yields nothing usable.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** `<prefix><43 url-safe characters>`: 256 bits of randomness behind a recognisable prefix. */
export function newSecret(prefix: string): string {
  return prefix + randomBytes(32).toString('base64url');
}

/** HMAC-SHA256 under k.keys.tokenHash, hex. Deterministic, so the hash is the lookup key. */
export function hashSecret(key: Buffer, secret: string): string {
  return createHmac('sha256', key).update(secret).digest('hex');
}

/** Constant-time string comparison (length is not secret). */
export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

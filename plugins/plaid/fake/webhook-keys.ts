// The fake's webhook signing keys, as Plaid does it: each webhook carries a `Plaid-Verification`
// header holding an ES256 JWT whose header names the key (`kid`) and whose payload is
// {iat, request_body_sha256}. The public half is served by /webhook_verification_key/get as a JWK
// with created_at and expired_at (null until the key is rotated out).
import { createHash, randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';

export type SigningKey = { kid: string; privateKey: CryptoKey; publicJwk: JWK; created_at: number; expired_at: number | null };

export type ServedKey = { alg: string; crv: string; kid: string; kty: string; use: string; x: string; y: string; created_at: number; expired_at: number | null };

export async function newSigningKey(createdAt: number, kid: string = randomUUID()): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  return { kid, privateKey, publicJwk: await exportJWK(publicKey), created_at: createdAt, expired_at: null };
}

export function sha256Hex(raw: string | Uint8Array): string {
  return createHash('sha256').update(raw).digest('hex');
}

/** The Plaid-Verification JWT for a raw request body. */
export async function signBody(rawBody: string, key: Pick<SigningKey, 'kid' | 'privateKey'>, iat: number): Promise<string> {
  return new SignJWT({ request_body_sha256: sha256Hex(rawBody) })
    .setProtectedHeader({ alg: 'ES256', kid: key.kid, typ: 'JWT' })
    .setIssuedAt(iat)
    .sign(key.privateKey);
}

export class WebhookKeyRing {
  #keys = new Map<string, SigningKey>();
  #current: SigningKey;

  private constructor(first: SigningKey) {
    this.#current = first;
    this.#keys.set(first.kid, first);
  }

  static async create(nowSeconds: number): Promise<WebhookKeyRing> {
    return new WebhookKeyRing(await newSigningKey(nowSeconds));
  }

  get current(): SigningKey {
    return this.#current;
  }

  /** The key as /webhook_verification_key/get serves it, or undefined for an unknown kid. */
  served(kid: string): ServedKey | undefined {
    const k = this.#keys.get(kid);
    if (!k) return undefined;
    const { crv, kty, x, y } = k.publicJwk;
    return { alg: 'ES256', crv: crv!, kid: k.kid, kty: kty!, use: 'sig', x: x!, y: y!, created_at: k.created_at, expired_at: k.expired_at };
  }

  /** Retires the current key (it stays fetchable, marked expired) and signs with a fresh one from now on. */
  async rotate(nowSeconds: number): Promise<SigningKey> {
    this.#current.expired_at = nowSeconds;
    this.#current = await newSigningKey(nowSeconds);
    this.#keys.set(this.#current.kid, this.#current);
    return this.#current;
  }

  /** A key the server serves as already expired, without disturbing the current one (for tests). */
  async expiredKey(nowSeconds: number): Promise<SigningKey> {
    const k = await newSigningKey(nowSeconds - 172_800);
    k.expired_at = nowSeconds - 86_400;
    this.#keys.set(k.kid, k);
    return k;
  }
}

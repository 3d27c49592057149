// Verifies Plaid webhooks (https://plaid.com/docs/api/webhooks/webhook-verification/). A webhook is
// accepted only if its `Plaid-Verification` header is an ES256 JWT (no other algorithm, so no
// "none" or HS256-with-the-public-key tricks), signed by a key Plaid serves for the header's `kid`
// and has not expired, issued at most five minutes ago, whose `request_body_sha256` is the SHA-256 of
// the exact raw body bytes (never a re-serialization), and that has not been accepted before.
//
// Keys are fetched with /webhook_verification_key/get and cached; unknown kids are remembered for a
// while and fetches are budgeted, so forged requests with random kids cannot make us hammer Plaid.
// Cheap checks run before any fetch. Only WebCrypto and jose are used, so this runs inside the
// plugin sandbox.
import { base64url, compactVerify, decodeProtectedHeader, errors, importJWK, type CryptoKey } from 'jose';

/** The key as /webhook_verification_key/get returns it. */
export type PlaidWebhookKey = { alg: string; crv: string; kid: string; kty: string; use: string; x: string; y: string; created_at: number; expired_at: number | null };

/** Resolves a kid to Plaid's key, null when Plaid does not know it; throws when Plaid cannot be asked. */
export type KeyFetcher = (kid: string) => Promise<PlaidWebhookKey | null>;

/** Remembers accepted webhooks until they would be stale anyway. Swap in a shared store for several processes. */
export type ReplayGuard = { firstSeen(id: string, forgetAfterMs: number): boolean | Promise<boolean> };

export type WebhookRejection =
  | 'missing-signature' | 'malformed' | 'algorithm' | 'unknown-key' | 'expired-key' | 'key-unavailable'
  | 'bad-signature' | 'stale' | 'body-mismatch' | 'replay';

export type VerifyResult = { ok: true; body: unknown } | { ok: false; reason: WebhookRejection };

export type VerifierOptions = {
  fetchKey: KeyFetcher;
  /** Oldest acceptable `iat`, in seconds (Plaid: five minutes). */
  maxAgeSeconds?: number;
  /** How far in the future an `iat` may be (clock skew), in seconds. */
  clockSkewSeconds?: number;
  /** How long a fetched key is trusted before asking Plaid again (to notice rotation). */
  keyCacheMs?: number;
  /** How long an unknown kid is remembered as unknown. */
  unknownKeyCacheMs?: number;
  /** At most this many key fetches a minute; beyond, webhooks with uncached kids are 'key-unavailable'
   *  (forged requests with ever-new kids must not spend our Plaid API budget). */
  maxKeyFetchesPerMinute?: number;
  replay?: ReplayGuard;
  now?: () => number;
};

type CachedKey = { key: PlaidWebhookKey | null; crypto: CryptoKey | null; until: number };

export class MemoryReplayGuard implements ReplayGuard {
  #seen = new Map<string, number>();
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  firstSeen(id: string, forgetAfterMs: number): boolean {
    const now = this.#now();
    if (this.#seen.size > 1000) for (const [k, until] of this.#seen) if (until < now) this.#seen.delete(k);
    if ((this.#seen.get(id) ?? 0) >= now) return false;
    this.#seen.set(id, forgetAfterMs);
    return true;
  }
}

export class PlaidWebhookVerifier {
  readonly #fetchKey: KeyFetcher;
  readonly #maxAge: number;
  readonly #skew: number;
  readonly #keyCacheMs: number;
  readonly #unknownKeyCacheMs: number;
  readonly #maxFetches: number;
  #fetchTimes: number[] = [];
  readonly #replay: ReplayGuard;
  readonly #now: () => number;
  readonly #keys = new Map<string, CachedKey>();
  readonly #inflight = new Map<string, Promise<CachedKey>>();

  constructor(opts: VerifierOptions) {
    this.#fetchKey = opts.fetchKey;
    this.#maxAge = opts.maxAgeSeconds ?? 300;
    this.#skew = opts.clockSkewSeconds ?? 60;
    this.#keyCacheMs = opts.keyCacheMs ?? 10 * 60_000;
    this.#unknownKeyCacheMs = opts.unknownKeyCacheMs ?? 60_000;
    this.#maxFetches = opts.maxKeyFetchesPerMinute ?? 30;
    this.#now = opts.now ?? Date.now;
    this.#replay = opts.replay ?? new MemoryReplayGuard(this.#now);
  }

  async verify(rawBody: string | Uint8Array, header: string | null | undefined): Promise<VerifyResult> {
    const no = (reason: WebhookRejection): VerifyResult => ({ ok: false, reason });
    if (typeof header !== 'string' || header.trim() === '') return no('missing-signature');
    const jwt = header.trim();
    if (jwt.length > 8192 || !/^[\w-]+\.[\w-]+\.[\w-]*$/.test(jwt)) return no('malformed');
    let kid: unknown;
    let alg: unknown;
    try {
      ({ kid, alg } = decodeProtectedHeader(jwt));
    } catch {
      return no('malformed');
    }
    if (alg !== 'ES256') return no('algorithm');
    if (typeof kid !== 'string' || kid === '' || kid.length > 256) return no('malformed');
    // Refuse stale claims before asking Plaid for a key; they are checked again once signed.
    const unverified = parseClaims(jwt.split('.')[1]!);
    if (!unverified) return no('malformed');
    if (!this.#fresh(unverified.iat)) return no('stale');

    let cached: CachedKey;
    try {
      cached = await this.#key(kid);
    } catch {
      return no('key-unavailable');
    }
    if (!cached.key || !cached.crypto) return no(cached.key ? 'algorithm' : 'unknown-key');
    if (cached.key.expired_at !== null && cached.key.expired_at * 1000 <= this.#now()) return no('expired-key');

    let payload: Uint8Array;
    try {
      ({ payload } = await compactVerify(jwt, cached.crypto, { algorithms: ['ES256'] }));
    } catch (err) {
      return no(err instanceof errors.JWSSignatureVerificationFailed ? 'bad-signature' : 'malformed');
    }
    const claims = parseClaims(base64url.encode(payload));
    if (!claims) return no('malformed');
    if (!this.#fresh(claims.iat)) return no('stale');
    const bytes = typeof rawBody === 'string' ? new TextEncoder().encode(rawBody) : rawBody;
    if (!constantTimeEqual(await sha256Hex(bytes), claims.request_body_sha256)) return no('body-mismatch');
    let body: unknown;
    try {
      body = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
    } catch {
      return no('malformed');
    }
    // ECDSA signatures are malleable (s and n−s both verify), so the replay id is the signed
    // content, not the token text.
    const signed = jwt.slice(0, jwt.lastIndexOf('.'));
    const id = await sha256Hex(new TextEncoder().encode(signed));
    const forgetAfter = (claims.iat + this.#maxAge + this.#skew) * 1000;
    if (!(await this.#replay.firstSeen(id, forgetAfter))) return no('replay');
    return { ok: true, body };
  }

  #fresh(iat: number): boolean {
    const now = this.#now() / 1000;
    return now - iat <= this.#maxAge && iat - now <= this.#skew;
  }

  async #key(kid: string): Promise<CachedKey> {
    const hit = this.#keys.get(kid);
    if (hit && hit.until > this.#now()) return hit;
    let pending = this.#inflight.get(kid);
    if (!pending) {
      pending = this.#load(kid).finally(() => this.#inflight.delete(kid));
      this.#inflight.set(kid, pending);
    }
    return pending;
  }

  async #load(kid: string): Promise<CachedKey> {
    const now = this.#now();
    this.#fetchTimes = this.#fetchTimes.filter((t) => t > now - 60_000);
    if (this.#fetchTimes.length >= this.#maxFetches) throw new Error('webhook key fetch budget exhausted');
    this.#fetchTimes.push(now);
    const key = await this.#fetchKey(kid);
    const usable = key && key.kid === kid && key.kty === 'EC' && key.crv === 'P-256' && key.alg === 'ES256';
    const crypto = usable ? ((await importJWK({ kty: key.kty, crv: key.crv, x: key.x, y: key.y }, 'ES256')) as CryptoKey) : null;
    const entry: CachedKey = { key, crypto, until: this.#now() + (key ? this.#keyCacheMs : this.#unknownKeyCacheMs) };
    this.#keys.set(kid, entry);
    return entry;
  }
}

/** A KeyFetcher over the official SDK's PlaidApi (or anything with the same method). */
export function plaidKeyFetcher(client: { webhookVerificationKeyGet(req: { key_id: string }): Promise<{ data: { key: PlaidWebhookKey } }> }): KeyFetcher {
  return async (kid) => {
    try {
      return (await client.webhookVerificationKeyGet({ key_id: kid })).data.key;
    } catch (err) {
      const code = (err as { response?: { data?: { error_code?: string } } }).response?.data?.error_code;
      if (code === 'INVALID_WEBHOOK_VERIFICATION_KEY_ID') return null;
      throw err;
    }
  };
}

function parseClaims(segment: string): { iat: number; request_body_sha256: string } | null {
  try {
    const c = JSON.parse(new TextDecoder().decode(base64url.decode(segment))) as Record<string, unknown>;
    if (typeof c.iat !== 'number' || !Number.isFinite(c.iat)) return null;
    if (typeof c.request_body_sha256 !== 'string' || !/^[0-9a-f]{64}$/i.test(c.request_body_sha256)) return null;
    return { iat: c.iat, request_body_sha256: c.request_body_sha256.toLowerCase() };
  } catch {
    return null;
  }
}

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

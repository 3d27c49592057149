// Webhook requests that a verifier must refuse (and one it must accept), built against the fake's
// real key ring so the only thing wrong with each is the thing its name says. Replays are simply a
// 'valid' request sent twice.
import { base64url, SignJWT } from 'jose';
import { newSigningKey, sha256Hex, signBody, type WebhookKeyRing } from './webhook-keys.ts';

export type WebhookVariant =
  | 'valid'
  /** Signed by another key while claiming the fake's current kid. */
  | 'wrong-key'
  /** Signed by an attacker's key under a kid Plaid never issued. */
  | 'unknown-kid'
  /** iat ten minutes old. */
  | 'stale'
  /** iat ten minutes in the future. */
  | 'future'
  /** Correctly signed, then the body was changed. */
  | 'tampered-body'
  /** request_body_sha256 claim left out. */
  | 'no-body-hash'
  /** HS256 with the public key as the HMAC secret (algorithm confusion). */
  | 'alg-hs256'
  /** Unsigned JWT, alg "none". */
  | 'alg-none'
  /** Signed by a key the server reports as expired. */
  | 'expired-key'
  /** No kid in the JWT header. */
  | 'no-kid'
  /** No Plaid-Verification header at all. */
  | 'missing-header';

export type WebhookRequest = { rawBody: string; headers: Record<string, string> };

export async function buildWebhookRequest(ring: WebhookKeyRing, body: unknown, variant: WebhookVariant, nowMs: number): Promise<WebhookRequest> {
  const rawBody = JSON.stringify(body, null, 2);
  const now = Math.floor(nowMs / 1000);
  const current = ring.current;
  const headers = (jwt: string) => ({ 'content-type': 'application/json', 'plaid-verification': jwt });
  switch (variant) {
    case 'valid':
      return { rawBody, headers: headers(await signBody(rawBody, current, now)) };
    case 'wrong-key': {
      const other = await newSigningKey(now, current.kid);
      return { rawBody, headers: headers(await signBody(rawBody, other, now)) };
    }
    case 'unknown-kid':
      return { rawBody, headers: headers(await signBody(rawBody, await newSigningKey(now), now)) };
    case 'stale':
      return { rawBody, headers: headers(await signBody(rawBody, current, now - 600)) };
    case 'future':
      return { rawBody, headers: headers(await signBody(rawBody, current, now + 600)) };
    case 'tampered-body': {
      const jwt = await signBody(rawBody, current, now);
      return { rawBody: rawBody.replace(/"item_id": "[^"]*"/, '"item_id": "someone-elses-item"').replace(/}\s*$/, ',\n  "x": 1\n}'), headers: headers(jwt) };
    }
    case 'no-body-hash': {
      const jwt = await new SignJWT({}).setProtectedHeader({ alg: 'ES256', kid: current.kid, typ: 'JWT' }).setIssuedAt(now).sign(current.privateKey);
      return { rawBody, headers: headers(jwt) };
    }
    case 'alg-hs256': {
      const secret = new TextEncoder().encode(JSON.stringify(ring.served(current.kid)));
      const jwt = await new SignJWT({ request_body_sha256: sha256Hex(rawBody) }).setProtectedHeader({ alg: 'HS256', kid: current.kid, typ: 'JWT' }).setIssuedAt(now).sign(secret);
      return { rawBody, headers: headers(jwt) };
    }
    case 'alg-none': {
      const enc = (o: unknown) => base64url.encode(JSON.stringify(o));
      return { rawBody, headers: headers(`${enc({ alg: 'none', kid: current.kid, typ: 'JWT' })}.${enc({ iat: now, request_body_sha256: sha256Hex(rawBody) })}.`) };
    }
    case 'expired-key':
      return { rawBody, headers: headers(await signBody(rawBody, await ring.expiredKey(now), now)) };
    case 'no-kid': {
      const jwt = await new SignJWT({ request_body_sha256: sha256Hex(rawBody) }).setProtectedHeader({ alg: 'ES256', typ: 'JWT' }).setIssuedAt(now).sign(current.privateKey);
      return { rawBody, headers: headers(jwt) };
    }
    case 'missing-header':
      return { rawBody, headers: { 'content-type': 'application/json' } };
  }
}

/** The exact request of an earlier delivery, to send again (a replay). */
export function replayOf(delivery: { rawBody: string; jwt: string }): WebhookRequest {
  return { rawBody: delivery.rawBody, headers: { 'content-type': 'application/json', 'plaid-verification': delivery.jwt } };
}

/** POSTs a built webhook request; returns the response status. */
export async function postWebhook(url: string, req: WebhookRequest): Promise<number> {
  const res = await fetch(url, { method: 'POST', headers: req.headers, body: req.rawBody });
  await res.arrayBuffer();
  return res.status;
}

// Short-lived access tokens: HS256 JWTs signed with k.keys.jwt. The algorithm is pinned, so
// `alg: none` and tokens signed any other way are refused; so are expired and altered ones.
import { errors, jwtVerify, SignJWT } from 'jose';
import type { Kernel } from '../kernel.ts';

export const ISSUER = 'mff';
export const AUDIENCE = 'mff';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type AccessClaims = {
  sub: string; // user id
  sid: string; // refresh-token family (the session)
  hid: string | null; // selected household
};

export const accessTokenSeconds = (k: Kernel) => k.config.session.accessTokenMinutes * 60;

export async function signAccessToken(k: Kernel, claims: AccessClaims): Promise<string> {
  return new SignJWT({ sid: claims.sid, ...(claims.hid ? { hid: claims.hid } : {}) })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.sub)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${accessTokenSeconds(k)}s`)
    .sign(k.keys.jwt);
}

export type VerifyResult = { ok: true; claims: AccessClaims } | { ok: false; reason: 'expired' | 'invalid' };

export async function verifyAccessToken(k: Kernel, token: string): Promise<VerifyResult> {
  try {
    const { payload } = await jwtVerify(token, k.keys.jwt, {
      algorithms: ['HS256'],
      issuer: ISSUER,
      audience: AUDIENCE,
      requiredClaims: ['sub', 'sid', 'exp', 'iat'],
      clockTolerance: 5,
    });
    const { sub, sid, hid } = payload as { sub?: unknown; sid?: unknown; hid?: unknown };
    if (typeof sub !== 'string' || !UUID.test(sub) || typeof sid !== 'string' || !UUID.test(sid)) return { ok: false, reason: 'invalid' };
    if (hid !== undefined && (typeof hid !== 'string' || !UUID.test(hid))) return { ok: false, reason: 'invalid' };
    return { ok: true, claims: { sub, sid, hid: (hid as string | undefined) ?? null } };
  } catch (err) {
    return { ok: false, reason: err instanceof errors.JWTExpired ? 'expired' : 'invalid' };
  }
}

export const isUuid = (v: string) => UUID.test(v);

// Who is calling. Three ways in:
//   Authorization: Bearer mff_pat_...  personal access token, its own scopes, checked every request
//   Authorization: Bearer <jwt>        access token from POST /api/v1/auth/token
//   cookies                            browser session; an expired access cookie is renewed from
//                                      the refresh cookie transparently (rotation, reuse detection)
// A bad Authorization header is a 401, never a silent fall back to anonymous. Sets c.get('auth').
import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv, Auth, Scope } from '../http/env.ts';
import { API_PREFIX } from '../http/api.ts';
import { Problem, badRequest, forbidden } from '../http/problem.ts';
import type { Kernel } from '../kernel.ts';
import { isUuid, verifyAccessToken } from './access-token.ts';
import { ACCESS_COOKIE, REFRESH_COOKIE, readCookie, reapplyCookies } from './cookies.ts';
import { PAT_PREFIX, usePat } from './personal-access-tokens.ts';
import { loadPrincipal, type Principal } from './principal.ts';
import { rotateRefreshToken } from './refresh-tokens.ts';
import { clearSessionCookies, setSessionCookies } from './session.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const ALL_SCOPES: Scope[] = ['read', 'write'];

const invalidToken = (detail: string) =>
  new Problem(401, 'Unauthorized', detail, { headers: { 'www-authenticate': 'Bearer error="invalid_token"' } });

/** Mff-Household picks the household for API calls; it must be a household the caller belongs to. */
function explicitHousehold(c: Context): string | null {
  if (!c.req.path.startsWith(API_PREFIX + '/') && c.req.path !== API_PREFIX) return null;
  const h = c.req.header('mff-household');
  if (h === undefined || h === '') return null;
  if (!isUuid(h)) throw badRequest('Mff-Household must be a household id (uuid)', [{ field: 'header.Mff-Household', message: 'must be a uuid' }]);
  return h.toLowerCase();
}

const toAuth = (p: Principal, via: Auth['via'], scopes: Scope[], sessionId?: string): Auth => ({
  user: p.user,
  via,
  scopes,
  householdId: p.householdId,
  household: p.household,
  role: p.role,
  ...(sessionId ? { sessionId } : {}),
});

async function fromAuthorization(k: Kernel, c: Context, header: string): Promise<Auth> {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!m) throw invalidToken('Authorization must be "Bearer <token>"');
  const token = m[1];
  const explicit = explicitHousehold(c);
  if (token.startsWith(PAT_PREFIX)) {
    const pat = await usePat(k, token);
    if (!pat) throw invalidToken('This personal access token is unknown, revoked or expired.');
    const p = await loadPrincipal(k, pat.userId, { explicit });
    if (!p) throw invalidToken('This personal access token is unknown, revoked or expired.');
    return toAuth(p, 'pat', pat.scopes);
  }
  const v = await verifyAccessToken(k, token);
  if (!v.ok) throw invalidToken(v.reason === 'expired' ? 'The access token has expired; refresh it.' : 'The access token is invalid.');
  const p = await loadPrincipal(k, v.claims.sub, { explicit, preferred: v.claims.hid, sessionId: v.claims.sid });
  if (!p || p.sessionRevoked) throw invalidToken('This session has ended; sign in again.');
  return toAuth(p, 'bearer', ALL_SCOPES, v.claims.sid);
}

async function fromCookies(k: Kernel, c: Context): Promise<Auth | undefined> {
  const access = readCookie(c, ACCESS_COOKIE);
  const refresh = readCookie(c, REFRESH_COOKIE);
  if (!access && !refresh) return undefined;
  const explicit = explicitHousehold(c);
  if (access) {
    const v = await verifyAccessToken(k, access);
    if (v.ok) {
      const p = await loadPrincipal(k, v.claims.sub, { explicit, preferred: v.claims.hid, sessionId: v.claims.sid });
      if (p && !p.sessionRevoked) return toAuth(p, 'cookie', ALL_SCOPES, v.claims.sid);
      clearSessionCookies(c, k); // logged out elsewhere, or the user is gone
      return undefined;
    }
  }
  if (!refresh) {
    clearSessionCookies(c, k);
    return undefined;
  }
  const r = await rotateRefreshToken(k, refresh);
  if (!r.ok) {
    clearSessionCookies(c, k);
    return undefined;
  }
  const p = await loadPrincipal(k, r.session.userId, { explicit, preferred: r.session.selectedHousehold });
  if (!p) {
    clearSessionCookies(c, k);
    return undefined;
  }
  await setSessionCookies(c, k, r.session);
  return toAuth(p, 'cookie', ALL_SCOPES, r.session.familyId);
}

export function authenticate(k: Kernel): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = c.req.header('authorization');
    const auth = header !== undefined ? await fromAuthorization(k, c, header) : await fromCookies(k, c);
    if (auth) c.set('auth', auth);
    // API routes check their own scope; everything else that changes state needs `write`.
    if (auth && !SAFE_METHODS.has(c.req.method) && !auth.scopes.includes('write') && !c.req.path.startsWith(API_PREFIX + '/')) {
      throw forbidden("this token lacks the 'write' scope");
    }
    await next();
    reapplyCookies(c);
  };
}

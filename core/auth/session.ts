// Browser sessions: an access-token cookie (short-lived JWT) plus a refresh-token cookie (rotating,
// opaque). Sign-in starts a family; logout revokes it; switching household re-issues the access
// cookie and remembers the choice on the family and as the user's default.
import type { Context } from 'hono';
import type { AppEnv } from '../http/env.ts';
import { notFound } from '../http/problem.ts';
import type { Kernel } from '../kernel.ts';
import { accessTokenSeconds, signAccessToken } from './access-token.ts';
import { ACCESS_COOKIE, REFRESH_COOKIE, clearAuthCookie, readCookie, setAuthCookie } from './cookies.ts';
import { loadPrincipal } from './principal.ts';
import { familyOf, refreshTokenSeconds, revokeFamily, selectHousehold, startFamily, type Session } from './refresh-tokens.ts';

/** Sets both cookies for a session (after sign-in or a rotation). */
export async function setSessionCookies(c: Context, k: Kernel, s: Session): Promise<void> {
  const access = await signAccessToken(k, { sub: s.userId, sid: s.familyId, hid: s.selectedHousehold });
  setAuthCookie(c, k, ACCESS_COOKIE, access, accessTokenSeconds(k));
  setAuthCookie(c, k, REFRESH_COOKIE, s.refreshToken, refreshTokenSeconds(k));
}

export function clearSessionCookies(c: Context, k: Kernel): void {
  clearAuthCookie(c, k, ACCESS_COOKIE);
  clearAuthCookie(c, k, REFRESH_COOKIE);
}

/** Signs a user in on this browser: ends any session it had, starts a new family, sets cookies. */
export async function startBrowserSession(c: Context<AppEnv>, k: Kernel, userId: string): Promise<void> {
  await endBrowserSession(c, k, { keepCookies: true }); // they are about to be replaced
  const [user] = await k.db.app`select default_household_id from kernel.users where id = ${userId}`;
  const session = await startFamily(k, userId, user?.default_household_id ?? null);
  await setSessionCookies(c, k, session);
}

/** Logs this browser out: revokes its session family (so no copy of its tokens works) and clears cookies. */
export async function endBrowserSession(c: Context<AppEnv>, k: Kernel, opts: { keepCookies?: boolean } = {}): Promise<void> {
  const auth = c.get('auth');
  let familyId = auth?.via === 'cookie' ? auth.sessionId : undefined;
  const refresh = readCookie(c, REFRESH_COOKIE);
  if (!familyId && refresh) familyId = (await familyOf(k, refresh)) ?? undefined;
  if (familyId) await revokeFamily(k, familyId);
  if (!opts.keepCookies && (auth?.via === 'cookie' || refresh || readCookie(c, ACCESS_COOKIE))) clearSessionCookies(c, k);
}

/**
 * Makes `householdId` the caller's current household: remembered as the user's default and, for a
 * browser session, on the session with a fresh access cookie. Updates c.get('auth') for the rest of
 * the request. 404 when the user is not a member.
 */
export async function switchHousehold(c: Context<AppEnv>, k: Kernel, householdId: string): Promise<void> {
  const auth = c.get('auth');
  if (!auth) throw notFound('No such household.');
  const p = await loadPrincipal(k, auth.user.id, { explicit: householdId });
  if (!p || p.householdId !== householdId) throw notFound('No such household.');
  await k.db.app`update kernel.users set default_household_id = ${householdId} where id = ${auth.user.id}`;
  if (auth.via === 'cookie' && auth.sessionId) {
    await selectHousehold(k, auth.sessionId, householdId);
    const access = await signAccessToken(k, { sub: auth.user.id, sid: auth.sessionId, hid: householdId });
    setAuthCookie(c, k, ACCESS_COOKIE, access, accessTokenSeconds(k));
  }
  c.set('auth', { ...auth, householdId, household: p.household, role: p.role });
}

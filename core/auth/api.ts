// Auth over the JSON API: token exchange and refresh for scripts, the caller's identity, and
// personal access tokens. Registered on k.api, so the OpenAPI document describes them.
import { z } from 'zod';
import type { Auth } from '../http/env.ts';
import { Problem, forbidden, notFound } from '../http/problem.ts';
import type { Kernel } from '../kernel.ts';
import { accessTokenSeconds, signAccessToken } from './access-token.ts';
import { clientIp } from './client-ip.ts';
import { PASSWORD_MAX } from './forms.ts';
import { INVALID_LOGIN, checkLogin, throttledMessage } from './login.ts';
import { createPat, listPats, revokePat, type PatInfo } from './personal-access-tokens.ts';
import { rotateRefreshToken, startFamily, type Session } from './refresh-tokens.ts';

const TAG = 'Auth';

const TokenPair = z.object({
  access_token: z.string(),
  token_type: z.literal('Bearer'),
  expires_in: z.number().int().describe('seconds until access_token expires'),
  refresh_token: z.string().describe('single use: exchange it at /auth/refresh for a new pair'),
});

const Scopes = z.array(z.enum(['read', 'write'])).min(1).max(2).describe("'write' implies 'read'");

const PatOut = z.object({
  id: z.uuid(),
  name: z.string(),
  prefix: z.string().describe('the first characters of the token, to recognise it'),
  scopes: z.array(z.enum(['read', 'write'])),
  expires_at: z.string().nullable(),
  last_used_at: z.string().nullable(),
  created_at: z.string(),
});

export const patJson = (t: PatInfo) => ({
  id: t.id,
  name: t.name,
  prefix: t.prefix,
  scopes: t.scopes,
  expires_at: t.expiresAt?.toISOString() ?? null,
  last_used_at: t.lastUsedAt?.toISOString() ?? null,
  created_at: t.createdAt.toISOString(),
});

const MAX_PAT_DAYS = 3660;

export const PatCreate = z
  .object({
    name: z.string().trim().min(1).max(100),
    scopes: Scopes,
    expires_at: z.iso
      .datetime({ offset: true })
      .nullable()
      .optional()
      .refine((v) => v == null || Date.parse(v) > Date.now(), 'must be in the future')
      .refine((v) => v == null || Date.parse(v) < Date.now() + MAX_PAT_DAYS * 86_400_000, 'must be within 10 years'),
  })
  .strict();

async function pair(k: Kernel, s: Session) {
  return {
    access_token: await signAccessToken(k, { sub: s.userId, sid: s.familyId, hid: s.selectedHousehold }),
    token_type: 'Bearer' as const,
    expires_in: accessTokenSeconds(k),
    refresh_token: s.refreshToken,
  };
}

async function me(k: Kernel, auth: Auth) {
  const households = await k.db.withUser(auth.user.id, (tx) => tx`
    select h.id, h.name, h.base_currency, h.time_zone, m.role
    from kernel.memberships m join kernel.households h on h.id = m.household_id
    where m.user_id = ${auth.user.id} order by h.name, h.id`);
  const list = households.map((h) => ({ id: h.id, name: h.name, role: h.role, baseCurrency: (h.base_currency as string).trim(), timeZone: h.time_zone }));
  return {
    user: { id: auth.user.id, email: auth.user.email, name: auth.user.name, isAdmin: auth.user.isAdmin },
    households: list,
    currentHousehold: list.find((h) => h.id === auth.householdId) ?? null,
    via: auth.via,
    scopes: auth.scopes,
  };
}

// camelCase like every other resource (/households, the plugins' APIs); only the token responses keep
// OAuth 2.0's snake_case (access_token, token_type...).
const Household = z.object({ id: z.uuid(), name: z.string(), role: z.enum(['owner', 'member', 'viewer']), baseCurrency: z.string(), timeZone: z.string() });

export function registerAuthApi(k: Kernel): void {
  k.api.add({
    method: 'post',
    path: '/auth/token',
    summary: 'Exchange email and password for an access token and a refresh token',
    tag: TAG,
    auth: 'none',
    status: 200,
    body: z.object({ email: z.string().trim().min(1).max(254), password: z.string().min(1).max(PASSWORD_MAX) }).strict(),
    response: TokenPair,
    handler: async ({ body, c }) => {
      const result = await checkLogin(k, { ...body, ip: clientIp(c, k.config.MFF_TRUSTED_PROXIES) });
      if (!result.ok) {
        if (result.reason === 'throttled') {
          throw new Problem(429, 'Too Many Requests', throttledMessage(result.retryAfter), { headers: { 'retry-after': String(result.retryAfter) } });
        }
        throw new Problem(401, 'Unauthorized', INVALID_LOGIN);
      }
      const [user] = await k.db.app`select default_household_id from kernel.users where id = ${result.userId}`;
      return pair(k, await startFamily(k, result.userId, user?.default_household_id ?? null));
    },
  });

  k.api.add({
    method: 'post',
    path: '/auth/refresh',
    summary: 'Exchange a refresh token for a new token pair (the old refresh token stops working)',
    tag: TAG,
    auth: 'none',
    status: 200,
    body: z.object({ refresh_token: z.string().min(1).max(200) }).strict(),
    response: TokenPair,
    handler: async ({ body }) => {
      const r = await rotateRefreshToken(k, body.refresh_token);
      if (!r.ok) {
        const why = r.reason === 'reused'
          ? 'This refresh token was already used; the session has been revoked. Sign in again.'
          : 'The refresh token is invalid, expired or revoked.';
        throw new Problem(401, 'Unauthorized', why);
      }
      return pair(k, r.session);
    },
  });

  k.api.add({
    method: 'get',
    path: '/me',
    summary: 'The caller: user, households with roles, and the household this request acts for',
    tag: TAG,
    response: z.object({
      user: z.object({ id: z.uuid(), email: z.string(), name: z.string(), isAdmin: z.boolean() }),
      households: z.array(Household),
      currentHousehold: Household.nullable(),
      via: z.enum(['cookie', 'bearer', 'pat']),
      scopes: z.array(z.enum(['read', 'write'])),
    }),
    handler: ({ auth }) => me(k, auth),
  });

  k.api.add({
    method: 'get',
    path: '/tokens',
    summary: "List the caller's personal access tokens (never their secrets)",
    tag: TAG,
    response: z.object({ tokens: z.array(PatOut) }),
    handler: async ({ auth }) => ({ tokens: (await listPats(k, auth.user.id)).map(patJson) }),
  });

  k.api.add({
    method: 'post',
    path: '/tokens',
    summary: 'Create a personal access token; the response is the only time its secret is shown',
    tag: TAG,
    body: PatCreate,
    response: PatOut.extend({ token: z.string().describe('mff_pat_...; store it now, it cannot be shown again') }),
    handler: async ({ body, auth }) => {
      // A token minting tokens could outlive its own expiry or revocation.
      if (auth.via === 'pat') throw forbidden('personal access tokens cannot create tokens; sign in to create one');
      const { token, info } = await createPat(k, auth.user.id, {
        name: body.name,
        scopes: body.scopes,
        expiresAt: body.expires_at ? new Date(body.expires_at) : null,
      });
      return { ...patJson(info), token };
    },
  });

  k.api.add({
    method: 'delete',
    path: '/tokens/:id',
    summary: 'Revoke one of your personal access tokens; it stops working immediately',
    tag: TAG,
    params: z.object({ id: z.uuid() }).strict(),
    status: 204,
    handler: async ({ params, auth }) => {
      if (!(await revokePat(k, auth.user.id, params.id))) throw notFound('No such token.');
      return undefined;
    },
  });
}

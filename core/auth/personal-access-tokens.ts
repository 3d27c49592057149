// Personal access tokens for automations: `mff_pat_<random>`, shown once, stored as a keyed hash
// with a short visible prefix. Checked on every request, so a revoked or expired token stops at once.
import type { Scope } from '../http/env.ts';
import type { Kernel } from '../kernel.ts';
import { hashSecret, newSecret } from './secret-tokens.ts';

export const PAT_PREFIX = 'mff_pat_';
const VISIBLE = PAT_PREFIX.length + 4;

export type PatInfo = {
  id: string;
  name: string;
  prefix: string;
  scopes: Scope[];
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  createdAt: Date;
};

const toInfo = (r: Record<string, any>): PatInfo => ({
  id: r.id,
  name: r.name,
  prefix: r.prefix,
  scopes: r.scopes,
  expiresAt: r.expires_at,
  lastUsedAt: r.last_used_at,
  createdAt: r.created_at,
});

/** `write` implies `read`; stored in a fixed order. */
export const normalizeScopes = (scopes: Scope[]): Scope[] => (scopes.includes('write') ? ['read', 'write'] : ['read']);

export async function createPat(
  k: Kernel,
  userId: string,
  input: { name: string; scopes: Scope[]; expiresAt: Date | null },
): Promise<{ token: string; info: PatInfo }> {
  const token = newSecret(PAT_PREFIX);
  const [row] = await k.db.app`
    insert into kernel.personal_access_tokens (user_id, name, token_hash, prefix, scopes, expires_at)
    values (${userId}, ${input.name}, ${hashSecret(k.keys.tokenHash, token)}, ${token.slice(0, VISIBLE)},
            ${normalizeScopes(input.scopes)}, ${input.expiresAt})
    returning id, name, prefix, scopes, expires_at, last_used_at, created_at`;
  return { token, info: toInfo(row) };
}

/** The user's tokens that have not been revoked (expired ones included, marked by expiresAt). */
export async function listPats(k: Kernel, userId: string): Promise<PatInfo[]> {
  const rows = await k.db.app`
    select id, name, prefix, scopes, expires_at, last_used_at, created_at from kernel.personal_access_tokens
    where user_id = ${userId} and revoked_at is null order by created_at desc, id`;
  return rows.map(toInfo);
}

/** Revokes one of the user's own tokens; false when there is none by that id (someone else's included). */
export async function revokePat(k: Kernel, userId: string, id: string): Promise<boolean> {
  const r = await k.db.app`
    update kernel.personal_access_tokens set revoked_at = now()
    where id = ${id} and user_id = ${userId} and revoked_at is null`;
  return r.count === 1;
}

/**
 * Resolves a presented token to its user and scopes, or null if unknown, revoked or expired.
 * One statement; last_used_at is written at most once a minute per token.
 */
export async function usePat(k: Kernel, token: string): Promise<{ id: string; userId: string; scopes: Scope[] } | null> {
  if (token.length > 100) return null;
  const [row] = await k.db.app`
    with t as (
      select id, user_id, scopes, last_used_at from kernel.personal_access_tokens
      where token_hash = ${hashSecret(k.keys.tokenHash, token)}
        and revoked_at is null and (expires_at is null or expires_at > now())
    ), touched as (
      update kernel.personal_access_tokens p set last_used_at = now() from t
      where p.id = t.id and (t.last_used_at is null or t.last_used_at < now() - interval '1 minute')
    )
    select id, user_id, scopes from t`;
  return row ? { id: row.id, userId: row.user_id, scopes: row.scopes } : null;
}

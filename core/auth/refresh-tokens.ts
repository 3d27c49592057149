// Rotating refresh tokens in families (one family = one sign-in). Each token works once: using it
// marks it used and issues its successor. Presenting a used token again means it was copied, so
// the whole family is revoked, the legitimate holder's newer token included.
import { randomUUID } from 'node:crypto';
import type { Kernel } from '../kernel.ts';
import { hashSecret, newSecret } from './secret-tokens.ts';

export const REFRESH_PREFIX = 'mff_rt_';

export type Session = { familyId: string; userId: string; selectedHousehold: string | null; refreshToken: string };

export type RotateResult =
  | { ok: true; session: Session }
  | { ok: false; reason: 'unknown' | 'expired' | 'revoked' | 'reused' };

export const refreshTokenSeconds = (k: Kernel) => k.config.session.refreshTokenDays * 86_400;

async function insertToken(k: Kernel, familyId: string, userId: string, selectedHousehold: string | null): Promise<string> {
  const token = newSecret(REFRESH_PREFIX);
  await k.db.app`
    insert into kernel.refresh_tokens (family_id, user_id, token_hash, selected_household, expires_at)
    values (${familyId}, ${userId}, ${hashSecret(k.keys.tokenHash, token)}, ${selectedHousehold},
            now() + make_interval(secs => ${refreshTokenSeconds(k)}))`;
  return token;
}

/** Starts a new family (a sign-in). */
export async function startFamily(k: Kernel, userId: string, selectedHousehold: string | null): Promise<Session> {
  const familyId = randomUUID();
  const refreshToken = await insertToken(k, familyId, userId, selectedHousehold);
  return { familyId, userId, selectedHousehold, refreshToken };
}

export async function rotateRefreshToken(k: Kernel, token: string): Promise<RotateResult> {
  if (!token.startsWith(REFRESH_PREFIX) || token.length > 100) return { ok: false, reason: 'unknown' };
  const hash = hashSecret(k.keys.tokenHash, token);
  // Claiming the token is one conditional update, so two concurrent uses cannot both succeed.
  const [claimed] = await k.db.app`
    update kernel.refresh_tokens set used_at = now()
    where token_hash = ${hash} and used_at is null and revoked_at is null and expires_at > now()
    returning family_id, user_id, selected_household`;
  if (claimed) {
    const { family_id: familyId, user_id: userId, selected_household: selectedHousehold } = claimed;
    const refreshToken = await insertToken(k, familyId, userId, selectedHousehold);
    return { ok: true, session: { familyId, userId, selectedHousehold, refreshToken } };
  }
  const [row] = await k.db.app`
    select family_id, user_id, used_at, revoked_at, expires_at <= now() as expired
    from kernel.refresh_tokens where token_hash = ${hash}`;
  if (!row) return { ok: false, reason: 'unknown' };
  if (row.revoked_at) return { ok: false, reason: 'revoked' };
  if (row.used_at) {
    await revokeFamily(k, row.family_id);
    k.log.warn('refresh token reused; session family revoked', { user: row.user_id, family: row.family_id });
    return { ok: false, reason: 'reused' };
  }
  return { ok: false, reason: 'expired' };
}

export async function revokeFamily(k: Kernel, familyId: string): Promise<void> {
  await k.db.app`update kernel.refresh_tokens set revoked_at = now() where family_id = ${familyId} and revoked_at is null`;
}

/** The family a refresh token belongs to (for logging out with only the cookie). */
export async function familyOf(k: Kernel, token: string): Promise<string | null> {
  const [row] = await k.db.app`select family_id from kernel.refresh_tokens where token_hash = ${hashSecret(k.keys.tokenHash, token)}`;
  return row?.family_id ?? null;
}

/** Remembers the household a session has selected, so the next rotation keeps it. */
export async function selectHousehold(k: Kernel, familyId: string, householdId: string | null): Promise<void> {
  await k.db.app`
    update kernel.refresh_tokens set selected_household = ${householdId}
    where family_id = ${familyId} and used_at is null and revoked_at is null`;
}

// Who a verified credential belongs to, and for which household it acts: one query in a
// user-bound transaction (memberships are visible only to their user) that loads the user, picks
// the household (with its name, base currency and time zone, which every plugin call carries) and,
// for sessions, says whether the session has been revoked since.
import type { HouseholdInfo } from '../../plugin-sdk/types.ts';
import type { Kernel } from '../kernel.ts';
import type { AuthUser, Role } from '../http/env.ts';

export type Principal = { user: AuthUser; householdId: string | null; household: HouseholdInfo | null; role: Role | null; sessionRevoked: boolean };

export type HouseholdChoice = {
  /** Mff-Household header: this household or none at all. */
  explicit?: string | null;
  /** The session's selected household; falls back to the user's default, then their first membership. */
  preferred?: string | null;
  /** Refresh-token family to check for revocation. */
  sessionId?: string | null;
};

export async function loadPrincipal(k: Kernel, userId: string, choice: HouseholdChoice = {}): Promise<Principal | null> {
  const explicit = choice.explicit ?? null;
  const preferred = choice.preferred ?? null;
  const sessionId = choice.sessionId ?? null;
  const [row] = await k.db.withUser(userId, (tx) => tx`
    select u.id, u.email, u.name, u.is_admin, m.household_id, m.role, h.name as household_name,
      trim(h.base_currency) as base_currency, h.time_zone,
      (${sessionId}::uuid is not null and exists (
        select 1 from kernel.refresh_tokens r where r.family_id = ${sessionId}::uuid and r.revoked_at is not null)) as session_revoked
    from kernel.users u
    left join lateral (
      select m.household_id, m.role from kernel.memberships m
      where m.user_id = u.id and (${explicit}::uuid is null or m.household_id = ${explicit}::uuid)
      order by (m.household_id = ${preferred}::uuid) is true desc,
               (m.household_id = u.default_household_id) is true desc,
               m.created_at, m.household_id
      limit 1
    ) m on true
    left join kernel.households h on h.id = m.household_id
    where u.id = ${userId}`);
  if (!row) return null;
  return {
    user: { id: row.id, email: row.email, name: row.name, isAdmin: row.is_admin },
    householdId: row.household_id ?? null,
    household: row.household_id
      ? { id: row.household_id, name: row.household_name, baseCurrency: row.base_currency, timeZone: row.time_zone }
      : null,
    role: (row.role as Role | null) ?? null,
    sessionRevoked: row.session_revoked,
  };
}

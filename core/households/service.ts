// Households: create, list the caller's, read and edit one. Every read or write of a household's
// rows happens in a transaction bound to that household, and only after the caller's membership was
// found under that same binding, so a missing check cannot widen what PostgreSQL lets through.
import { randomUUID } from 'node:crypto';
import type { Tx } from '../db/household-binding.ts';
import type { Role } from '../http/env.ts';
import { forbidden, notFound } from '../http/problem.ts';
import type { Kernel } from '../kernel.ts';
import { isUuid, type HouseholdT } from './schemas.ts';

export const NOT_FOUND = 'No household with this id among yours.';

type HouseholdRow = { id: string; name: string; base_currency: string; time_zone: string; created_at: Date; role: Role };

export const toHousehold = (r: HouseholdRow): HouseholdT => ({
  id: r.id,
  name: r.name,
  baseCurrency: r.base_currency.trim(),
  timeZone: r.time_zone,
  role: r.role,
  createdAt: r.created_at.toISOString(),
});

/** The households the user belongs to, by name, with their role in each. */
export async function listMyHouseholds(k: Kernel, userId: string): Promise<HouseholdT[]> {
  const rows = await k.db.withUser(userId, (tx) => tx<HouseholdRow[]>`
    select h.id, h.name, h.base_currency, h.time_zone, h.created_at, m.role
    from kernel.households h join kernel.memberships m on m.household_id = h.id
    where m.user_id = ${userId}
    order by lower(h.name), h.created_at`);
  return rows.map(toHousehold);
}

/** The caller's role in a household, or null when they are not a member (or the id is not one). */
export async function roleIn(k: Kernel, userId: string, householdId: string): Promise<Role | null> {
  if (!isUuid(householdId)) return null;
  const [m] = await k.db.withUser(userId, (tx) => tx<{ role: Role }[]>`
    select role from kernel.memberships where household_id = ${householdId} and user_id = ${userId}`);
  return m?.role ?? null;
}

/**
 * Runs `fn` in a transaction bound to `householdId` once the caller's membership is seen there.
 * Anyone else gets 404, never 403: a household you are not in does not exist for you.
 */
export async function asMember<T>(
  k: Kernel,
  userId: string,
  householdId: string,
  fn: (tx: Tx, role: Role) => Promise<T>,
): Promise<T> {
  if (!isUuid(householdId)) throw notFound(NOT_FOUND);
  return k.db.withHousehold({ householdId, userId }, async (tx) => {
    const [m] = await tx<{ role: Role }[]>`
      select role from kernel.memberships where household_id = ${householdId} and user_id = ${userId}`;
    if (!m) throw notFound(NOT_FOUND);
    return fn(tx, m.role);
  });
}

export function requireOwner(role: Role, action: string): void {
  if (role !== 'owner') throw forbidden(`only an owner of this household can ${action}`);
}

/**
 * Serialises membership changes in one household, so two owners demoting each other cannot both
 * win, and returns the caller's role as it is once the lock is held (not as it was a moment ago).
 */
export async function lockHousehold(tx: Tx, householdId: string, userId: string): Promise<Role> {
  await tx`select id from kernel.households where id = ${householdId} for update`;
  const [m] = await tx<{ role: Role }[]>`
    select role from kernel.memberships where household_id = ${householdId} and user_id = ${userId}`;
  if (!m) throw notFound(NOT_FOUND);
  return m.role;
}

export async function readHousehold(tx: Tx, householdId: string, role: Role): Promise<HouseholdT> {
  const [h] = await tx<HouseholdRow[]>`
    select id, name, base_currency, time_zone, created_at, ${role}::text as role from kernel.households where id = ${householdId}`;
  if (!h) throw notFound(NOT_FOUND);
  return toHousehold(h);
}

export async function getHousehold(k: Kernel, userId: string, householdId: string): Promise<HouseholdT> {
  return asMember(k, userId, householdId, (tx, role) => readHousehold(tx, householdId, role));
}

export type HouseholdInput = { name: string; baseCurrency: string; timeZone: string };

/** A new household whose only member, its creator, is its owner. */
export async function createHousehold(k: Kernel, userId: string, input: HouseholdInput): Promise<HouseholdT> {
  const id = randomUUID();
  const created = await k.db.withHousehold({ householdId: id, userId }, async (tx) => {
    await tx`insert into kernel.households (id, name, base_currency, time_zone)
             values (${id}, ${input.name}, ${input.baseCurrency}, ${input.timeZone})`;
    await tx`insert into kernel.memberships (household_id, user_id, role) values (${id}, ${userId}, 'owner')`;
    return readHousehold(tx, id, 'owner');
  });
  // After commit: plugins set the new household up (the ledger seeds its categories).
  await k.plugins?.householdCreated(id, userId).catch((err) => k.log.error('household created event failed', { householdId: id, err }));
  return created;
}

/** Renames or re-bases a household. Owners only. */
export async function updateHousehold(
  k: Kernel,
  userId: string,
  householdId: string,
  patch: Partial<HouseholdInput>,
): Promise<HouseholdT> {
  return asMember(k, userId, householdId, async (tx, role) => {
    requireOwner(role, 'change its settings');
    await tx`update kernel.households set
               name = coalesce(${patch.name ?? null}, name),
               base_currency = coalesce(${patch.baseCurrency ?? null}, base_currency),
               time_zone = coalesce(${patch.timeZone ?? null}, time_zone)
             where id = ${householdId}`;
    return readHousehold(tx, householdId, role);
  });
}

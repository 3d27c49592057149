// Who belongs to a household and with which role. Owners change roles and remove members; anyone
// may leave. A household is never left without an owner.
import type { Tx } from '../db/household-binding.ts';
import type { Role } from '../http/env.ts';
import { conflict, notFound } from '../http/problem.ts';
import type { Kernel } from '../kernel.ts';
import { isUuid, type MemberT } from './schemas.ts';
import { asMember, lockHousehold, requireOwner } from './service.ts';

const NO_MEMBER = 'No member with this id in this household.';

export async function listMembers(tx: Tx, householdId: string): Promise<MemberT[]> {
  const rows = await tx<{ user_id: string; name: string; email: string; role: Role; created_at: Date }[]>`
    select m.user_id, u.name, u.email, m.role, m.created_at
    from kernel.memberships m join kernel.users u on u.id = m.user_id
    where m.household_id = ${householdId}
    order by case m.role when 'owner' then 0 when 'member' then 1 else 2 end, lower(u.name), u.email`;
  return rows.map((r) => ({ userId: r.user_id, name: r.name, email: r.email, role: r.role, joinedAt: r.created_at.toISOString() }));
}

/** The target's current role; 404 when they are not a member. */
async function targetRole(tx: Tx, householdId: string, userId: string): Promise<Role> {
  if (!isUuid(userId)) throw notFound(NO_MEMBER);
  const [m] = await tx<{ role: Role }[]>`
    select role from kernel.memberships where household_id = ${householdId} and user_id = ${userId}`;
  if (!m) throw notFound(NO_MEMBER);
  return m.role;
}

async function assertAnotherOwner(tx: Tx, householdId: string, why: string): Promise<void> {
  const [{ owners }] = await tx<{ owners: number }[]>`
    select count(*)::int as owners from kernel.memberships where household_id = ${householdId} and role = 'owner'`;
  if (owners <= 1) throw conflict(`${why}: a household must keep at least one owner. Make another member an owner first.`);
}

export async function changeRole(k: Kernel, actorId: string, householdId: string, userId: string, role: Role): Promise<MemberT[]> {
  return asMember(k, actorId, householdId, async (tx) => {
    requireOwner(await lockHousehold(tx, householdId, actorId), 'change roles');
    const current = await targetRole(tx, householdId, userId);
    if (current === 'owner' && role !== 'owner') await assertAnotherOwner(tx, householdId, 'This is the last owner');
    await tx`update kernel.memberships set role = ${role} where household_id = ${householdId} and user_id = ${userId}`;
    return listMembers(tx, householdId);
  });
}

/** Removes a member (owners), or the caller themself (anyone: leaving). */
export async function removeMember(k: Kernel, actorId: string, householdId: string, userId: string): Promise<void> {
  await asMember(k, actorId, householdId, async (tx) => {
    const actorRole = await lockHousehold(tx, householdId, actorId);
    const leaving = userId === actorId;
    if (!leaving) requireOwner(actorRole, 'remove members');
    const current = await targetRole(tx, householdId, userId);
    if (current === 'owner') await assertAnotherOwner(tx, householdId, leaving ? 'You are the last owner' : 'This is the last owner');
    await tx`delete from kernel.memberships where household_id = ${householdId} and user_id = ${userId}`;
  });
}

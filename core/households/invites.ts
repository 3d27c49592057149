// Invites: single-use links that expire. The token is random and shown once; only its HMAC is
// stored, so a database leak does not hand out memberships.
import { createHmac, randomBytes } from 'node:crypto';
import type { Tx } from '../db/household-binding.ts';
import type { Role } from '../http/env.ts';
import { Problem, conflict, notFound } from '../http/problem.ts';
import type { Kernel } from '../kernel.ts';
import { isUuid, type InviteT } from './schemas.ts';
import { asMember, requireOwner } from './service.ts';

const NO_INVITE = 'No invite with this id in this household.';

export const hashInviteToken = (k: Kernel, token: string) => createHmac('sha256', k.keys.tokenHash).update(`invite:${token}`).digest('hex');

type InviteRow = {
  id: string; role: Role; created_by_name: string | null; expires_at: Date; created_at: Date;
  accepted_at: Date | null; revoked_at: Date | null; expired: boolean;
};

const toInvite = (r: InviteRow): InviteT => ({
  id: r.id,
  role: r.role,
  status: r.accepted_at ? 'accepted' : r.revoked_at ? 'revoked' : r.expired ? 'expired' : 'pending',
  createdBy: r.created_by_name,
  expiresAt: r.expires_at.toISOString(),
  createdAt: r.created_at.toISOString(),
  acceptedAt: r.accepted_at?.toISOString() ?? null,
});

const selectInvites = (tx: Tx, householdId: string, only: { id?: string; pending?: boolean } = {}) => tx<InviteRow[]>`
  select i.id, i.role, u.name as created_by_name, i.expires_at, i.created_at, i.accepted_at, i.revoked_at,
         i.expires_at <= now() as expired
  from kernel.invites i left join kernel.users u on u.id = i.created_by
  where i.household_id = ${householdId}
    ${only.id ? tx`and i.id = ${only.id}` : tx``}
    ${only.pending ? tx`and i.accepted_at is null and i.revoked_at is null and i.expires_at > now()` : tx``}
  order by i.created_at desc`;

export async function listInvites(tx: Tx, householdId: string, opts: { pending?: boolean } = {}): Promise<InviteT[]> {
  return (await selectInvites(tx, householdId, opts)).map(toInvite);
}

/** Creates an invite and returns it with its token, which is never retrievable again. Owners only. */
export async function createInvite(k: Kernel, actorId: string, householdId: string, role: Role): Promise<InviteT & { token: string }> {
  const token = randomBytes(32).toString('base64url');
  return asMember(k, actorId, householdId, async (tx, actorRole) => {
    requireOwner(actorRole, 'invite people');
    const [{ id }] = await tx<{ id: string }[]>`
      insert into kernel.invites (household_id, token_hash, role, created_by, expires_at)
      values (${householdId}, ${hashInviteToken(k, token)}, ${role}, ${actorId},
              now() + make_interval(hours => ${k.config.invites.expiryHours}))
      returning id`;
    const [row] = await selectInvites(tx, householdId, { id });
    return { ...toInvite(row), token };
  });
}

/** Revokes a pending invite. Owners only; an accepted invite can no longer be revoked. */
export async function revokeInvite(k: Kernel, actorId: string, householdId: string, inviteId: string): Promise<InviteT> {
  return asMember(k, actorId, householdId, async (tx, actorRole) => {
    requireOwner(actorRole, 'revoke invites');
    if (!isUuid(inviteId)) throw notFound(NO_INVITE);
    const [row] = await selectInvites(tx, householdId, { id: inviteId });
    if (!row) throw notFound(NO_INVITE);
    if (row.accepted_at) throw conflict('This invite was already accepted; remove the member instead.');
    if (!row.revoked_at) await tx`update kernel.invites set revoked_at = now() where household_id = ${householdId} and id = ${inviteId}`;
    const [after] = await selectInvites(tx, householdId, { id: inviteId });
    return toInvite(after);
  });
}

export type InviteState = 'pending' | 'accepted' | 'revoked' | 'expired';
export type InviteLookup = { householdId: string; inviteId: string; householdName: string; timeZone: string; role: Role; state: InviteState; expiresAt: Date };

/** What a token opens, found from the token alone (no household is bound yet). Null for an unknown token. */
export async function lookupInvite(k: Kernel, token: string): Promise<InviteLookup | null> {
  if (!token || token.length > 200) return null;
  const [inv] = await k.db.app<{ household_id: string; id: string; role: Role; expires_at: Date; accepted_at: Date | null; revoked_at: Date | null; expired: boolean }[]>`
    select household_id, id, role, expires_at, accepted_at, revoked_at, expires_at <= now() as expired
    from kernel.invite_by_token_hash(${hashInviteToken(k, token)})`;
  if (!inv) return null;
  // The token proves the right to see this one household's name, so binding to it here is sound.
  const [h] = await k.db.withHousehold({ householdId: inv.household_id }, (tx) => tx<{ name: string; time_zone: string }[]>`
    select name, time_zone from kernel.households where id = ${inv.household_id}`);
  if (!h) return null;
  const state: InviteState = inv.accepted_at ? 'accepted' : inv.revoked_at ? 'revoked' : inv.expired ? 'expired' : 'pending';
  return { householdId: inv.household_id, inviteId: inv.id, householdName: h.name, timeZone: h.time_zone, role: inv.role, state, expiresAt: inv.expires_at };
}

export const INVITE_MESSAGES: Record<Exclude<InviteState, 'pending'> | 'unknown', string> = {
  unknown: 'This invite link is not valid. Check that you copied all of it, or ask for a new one.',
  accepted: 'This invite link has already been used. Invite links work once; ask the household owner for a new one.',
  revoked: 'This invite was revoked by the household owner. Ask them for a new one if you still need access.',
  expired: 'This invite link has expired. Ask the household owner for a new one.',
};

export class InviteUnusable extends Problem {
  state: Exclude<InviteState, 'pending'> | 'unknown';
  constructor(state: Exclude<InviteState, 'pending'> | 'unknown') {
    super(state === 'unknown' ? 404 : 410, state === 'unknown' ? 'Not Found' : 'Gone', INVITE_MESSAGES[state]);
    this.state = state;
  }
}

export class AlreadyMember extends Problem {
  householdId: string;
  constructor(householdId: string, householdName: string) {
    super(409, 'Conflict', `You are already a member of ${householdName}; the invite was left unused.`);
    this.householdId = householdId;
  }
}

/** Accepts an invite for `userId`: adds the membership and spends the invite, atomically. */
export async function acceptInvite(k: Kernel, userId: string, token: string): Promise<{ householdId: string; householdName: string; role: Role }> {
  const found = await lookupInvite(k, token);
  if (!found) throw new InviteUnusable('unknown');
  const { householdId, inviteId, householdName } = found;
  return k.db.withHousehold({ householdId, userId }, async (tx) => {
    // Lock the invite and re-read its state: of two concurrent accepts, only one gets it.
    const [inv] = await tx<{ role: Role; accepted_at: Date | null; revoked_at: Date | null; expired: boolean }[]>`
      select role, accepted_at, revoked_at, expires_at <= now() as expired
      from kernel.invites where household_id = ${householdId} and id = ${inviteId} for update`;
    if (!inv) throw new InviteUnusable('unknown');
    if (inv.accepted_at) throw new InviteUnusable('accepted');
    if (inv.revoked_at) throw new InviteUnusable('revoked');
    if (inv.expired) throw new InviteUnusable('expired');
    const [existing] = await tx`select 1 from kernel.memberships where household_id = ${householdId} and user_id = ${userId}`;
    if (existing) throw new AlreadyMember(householdId, householdName);
    await tx`insert into kernel.memberships (household_id, user_id, role) values (${householdId}, ${userId}, ${inv.role})`;
    await tx`update kernel.invites set accepted_at = now(), accepted_by = ${userId} where household_id = ${householdId} and id = ${inviteId}`;
    return { householdId, householdName, role: inv.role };
  });
}

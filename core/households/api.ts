// /api/v1/households and /api/v1/invites: the JSON twin of the households pages. The household in
// the path is authorised here, by membership under that household's binding (service.ts asMember):
// an id that is not one of the caller's households is 404, whatever exists elsewhere.
import { z } from 'zod';
import type { Kernel } from '../kernel.ts';
import { deleteHousehold } from './delete.ts';
import { acceptInvite, createInvite, listInvites, revokeInvite } from './invites.ts';
import { changeRole, listMembers, removeMember } from './members.ts';
import { CreatedInvite, Household, HouseholdCreate, HouseholdUpdate, Invite, Member, role } from './schemas.ts';
import { selectHousehold } from './select.ts';
import { asMember, createHousehold, getHousehold, listMyHouseholds, updateHousehold } from './service.ts';
import { inviteUrl } from './settings-routes.ts';

const TAG = 'Households';
// Plain strings, not z.uuid(): a malformed id is as absent as an unknown one (404, not 400).
const id = (what: string) => z.string().max(100).meta({ format: 'uuid', description: what });
const HouseholdParams = z.object({ id: id('household id') }).strict();
const MemberParams = z.object({ id: id('household id'), userId: id('user id of the member') }).strict();
const InviteParams = z.object({ id: id('household id'), inviteId: id('invite id') }).strict();
const list = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item) });

export function registerHouseholdApi(k: Kernel): void {
  k.api.add({
    method: 'get', path: '/households', tag: TAG, summary: 'List the households you belong to, with your role in each',
    response: list(Household),
    handler: async ({ auth }) => ({ items: await listMyHouseholds(k, auth.user.id) }),
  });

  k.api.add({
    method: 'post', path: '/households', tag: TAG, summary: 'Create a household; you become its owner and it becomes your selected household',
    body: HouseholdCreate, response: Household,
    handler: async ({ auth, body, c }) => {
      const household = await createHousehold(k, auth.user.id, body);
      await selectHousehold(c, k, household.id);
      return household;
    },
  });

  k.api.add({
    method: 'get', path: '/households/:id', tag: TAG, summary: 'Read a household',
    params: HouseholdParams, response: Household,
    handler: ({ auth, params }) => getHousehold(k, auth.user.id, params.id),
  });

  k.api.add({
    method: 'patch', path: '/households/:id', tag: TAG, summary: 'Rename a household or change its currency or time zone (owners)',
    params: HouseholdParams, body: HouseholdUpdate, response: Household,
    handler: ({ auth, params, body }) => updateHousehold(k, auth.user.id, params.id, body),
  });

  k.api.add({
    method: 'delete', path: '/households/:id', tag: TAG,
    summary: "Delete a household and all its data, every plugin's included (owners; `confirm` must be the household's name). Plugins are told first.",
    params: HouseholdParams, status: 204,
    body: z.object({ confirm: z.string().max(200).meta({ description: "the household's name, typed to confirm" }) }).strict(),
    handler: async ({ auth, params, body }) => { await deleteHousehold(k, auth.user.id, params.id, body.confirm); },
  });

  k.api.add({
    method: 'get', path: '/households/:id/members', tag: TAG, summary: 'List the members of a household',
    params: HouseholdParams, response: list(Member),
    handler: ({ auth, params }) => asMember(k, auth.user.id, params.id, async (tx) => ({ items: await listMembers(tx, params.id) })),
  });

  k.api.add({
    method: 'patch', path: '/households/:id/members/:userId', tag: TAG, summary: "Change a member's role (owners; the last owner cannot be demoted)",
    params: MemberParams, body: z.object({ role }).strict(), response: Member,
    handler: async ({ auth, params, body }) => {
      const members = await changeRole(k, auth.user.id, params.id, params.userId, body.role);
      return members.find((m) => m.userId === params.userId);
    },
  });

  k.api.add({
    method: 'delete', path: '/households/:id/members/:userId', tag: TAG,
    summary: 'Remove a member (owners), or leave the household (your own user id); the last owner cannot leave',
    params: MemberParams, status: 204,
    handler: async ({ auth, params }) => { await removeMember(k, auth.user.id, params.id, params.userId); },
  });

  k.api.add({
    method: 'post', path: '/households/:id/invites', tag: TAG,
    summary: 'Create a single-use invite link (owners). The token is in this response only.',
    params: HouseholdParams, body: z.object({ role }).strict(), response: CreatedInvite,
    handler: async ({ auth, params, body, c }) => {
      const invite = await createInvite(k, auth.user.id, params.id, body.role);
      return { ...invite, url: inviteUrl(k, c, invite.token) };
    },
  });

  k.api.add({
    method: 'get', path: '/households/:id/invites', tag: TAG, summary: "List a household's invites, newest first (tokens are never shown again)",
    params: HouseholdParams, response: list(Invite),
    handler: ({ auth, params }) => asMember(k, auth.user.id, params.id, async (tx) => ({ items: await listInvites(tx, params.id) })),
  });

  k.api.add({
    method: 'delete', path: '/households/:id/invites/:inviteId', tag: TAG, summary: 'Revoke a pending invite (owners)',
    params: InviteParams, status: 204,
    handler: async ({ auth, params }) => { await revokeInvite(k, auth.user.id, params.id, params.inviteId); },
  });

  k.api.add({
    method: 'post', path: '/invites/accept', tag: TAG, summary: 'Accept an invite: join its household with the role it grants',
    body: z.object({ token: z.string().min(1).max(200) }).strict(), response: Household, status: 200,
    handler: async ({ auth, body, c }) => {
      const joined = await acceptInvite(k, auth.user.id, body.token);
      await selectHousehold(c, k, joined.householdId);
      return getHousehold(k, auth.user.id, joined.householdId);
    },
  });
}

// /settings/household: the selected household's details, members and invites. Every form posts
// plainly (works without JavaScript); with htmx the members and invites sections swap in place.
import type { Context, Hono } from 'hono';
import type { AppEnv, Auth, Role } from '../http/env.ts';
import { Problem } from '../http/problem.ts';
import { isFragmentRequest } from '../http/render.ts';
import { renderSlot } from '../plugins/slots.ts';
import type { Kernel } from '../kernel.ts';
import { deleteHousehold } from './delete.ts';
import { createInvite, listInvites, revokeInvite } from './invites.ts';
import { changeRole, listMembers, removeMember } from './members.ts';
import { HouseholdUpdate, role as roleSchema, type HouseholdT } from './schemas.ts';
import { selectHousehold } from './select.ts';
import { asMember, listMyHouseholds, readHousehold, updateHousehold } from './service.ts';
import { currencyOptions, fieldErrors, formFields, navigate, signedIn, timeZoneOptions, type FieldErrors } from './web.ts';

const PAGE = '/settings/household';

type Extra = {
  errors?: FieldErrors;
  values?: Record<string, string>;
  membersError?: string;
  invitesError?: string;
  deleteError?: string;
  created?: { url: string; role: Role; expiresAt: string };
  saved?: boolean;
};

async function settingsData(k: Kernel, auth: Auth, householdId: string, extra: Extra = {}) {
  return asMember(k, auth.user.id, householdId, async (tx, role) => {
    const household: HouseholdT = await readHousehold(tx, householdId, role);
    return {
      household,
      isOwner: role === 'owner',
      me: auth.user.id,
      members: await listMembers(tx, householdId),
      invites: role === 'owner' ? await listInvites(tx, householdId, { pending: true }) : [],
      currencies: currencyOptions,
      timeZones: timeZoneOptions,
      expiryHours: k.config.invites.expiryHours,
      values: { name: household.name, baseCurrency: household.baseCurrency, timeZone: household.timeZone },
      errors: {},
      // Plugins' sections (their own settings forms live at /settings/plugins): htmx-loaded placeholders.
      sections: renderSlot(k, 'settings.section'),
      ...extra,
    };
  });
}

/** The whole page, or with htmx only `section` (members or invites). */
async function render(c: Context<AppEnv>, k: Kernel, auth: Auth, householdId: string, section: string | null, extra: Extra, status = 200) {
  const data = await settingsData(k, auth, householdId, extra);
  if (section && isFragmentRequest(c)) return k.views.page(c, `settings/household-${section}`, data, { title: 'Household settings' });
  return k.views.page(c, 'settings/household', data, { title: 'Household settings', status });
}

/** Runs a members/invites action; a refused business rule (409, 400) is shown next to the section. */
async function act(c: Context<AppEnv>, k: Kernel, section: 'members' | 'invites', fn: (auth: Auth, householdId: string) => Promise<Extra | void>) {
  const auth = signedIn(c);
  if (auth instanceof Response) return auth;
  const householdId = requireSelected(auth);
  try {
    const extra = (await fn(auth, householdId)) ?? {};
    if (extra.created || isFragmentRequest(c)) return render(c, k, auth, householdId, section, extra);
    return c.redirect(PAGE, 303);
  } catch (err) {
    if (!(err instanceof Problem) || (err.status !== 409 && err.status !== 400)) throw err;
    // htmx only swaps 2xx responses, so the fragment carrying the message is sent as 200.
    const extra = { [`${section}Error`]: err.message };
    return render(c, k, auth, householdId, section, extra, isFragmentRequest(c) ? 200 : err.status);
  }
}

function requireSelected(auth: Auth): string {
  if (!auth.householdId) throw new Problem(404, 'Not Found', 'Select or create a household first.');
  return auth.householdId;
}

export function registerSettingsRoutes(app: Hono<AppEnv>, k: Kernel): void {
  app.get(PAGE, async (c) => {
    const auth = signedIn(c);
    if (auth instanceof Response) return auth;
    if (!auth.householdId) return k.views.page(c, 'settings/household-none', {}, { title: 'Household settings' });
    return render(c, k, auth, auth.householdId, null, { saved: c.req.query('saved') === '1' });
  });

  app.post(PAGE, async (c) => {
    const auth = signedIn(c);
    if (auth instanceof Response) return auth;
    const householdId = requireSelected(auth);
    const { name = '', baseCurrency = '', timeZone = '' } = await formFields(c);
    const parsed = HouseholdUpdate.safeParse({ name, baseCurrency, timeZone });
    if (!parsed.success) {
      return render(c, k, auth, householdId, null, { values: { name, baseCurrency, timeZone }, errors: fieldErrors(parsed.error) }, 422);
    }
    await updateHousehold(k, auth.user.id, householdId, parsed.data);
    return c.redirect(`${PAGE}?saved=1`, 303);
  });

  app.post(`${PAGE}/members/:userId/role`, (c) =>
    act(c, k, 'members', async (auth, householdId) => {
      const parsed = roleSchema.safeParse((await formFields(c)).role);
      if (!parsed.success) throw new Problem(400, 'Bad Request', 'Choose owner, member or viewer.');
      await changeRole(k, auth.user.id, householdId, c.req.param('userId'), parsed.data);
    }));

  app.post(`${PAGE}/members/:userId/remove`, (c) =>
    act(c, k, 'members', async (auth, householdId) => {
      await removeMember(k, auth.user.id, householdId, c.req.param('userId'));
    }));

  app.post(`${PAGE}/invites`, (c) =>
    act(c, k, 'invites', async (auth, householdId) => {
      const parsed = roleSchema.safeParse((await formFields(c)).role);
      if (!parsed.success) throw new Problem(400, 'Bad Request', 'Choose owner, member or viewer.');
      const invite = await createInvite(k, auth.user.id, householdId, parsed.data);
      return { created: { url: inviteUrl(k, c, invite.token), role: invite.role, expiresAt: invite.expiresAt } };
    }));

  app.post(`${PAGE}/invites/:inviteId/revoke`, (c) =>
    act(c, k, 'invites', async (auth, householdId) => {
      await revokeInvite(k, auth.user.id, householdId, c.req.param('inviteId'));
    }));

  // Deleting asks for the household's name typed out; a mismatch or a non-owner is shown on the page.
  app.post(`${PAGE}/delete`, async (c) => {
    const auth = signedIn(c);
    if (auth instanceof Response) return auth;
    const householdId = requireSelected(auth);
    try {
      await deleteHousehold(k, auth.user.id, householdId, (await formFields(c)).confirm ?? '');
    } catch (err) {
      if (err instanceof Problem && (err.status === 422 || err.status === 403)) return render(c, k, auth, householdId, null, { deleteError: err.message }, err.status);
      throw err;
    }
    const next = (await listMyHouseholds(k, auth.user.id))[0];
    await selectHousehold(c, k, next?.id ?? null);
    return navigate(c, next ? '/' : '/households/new');
  });

  // Leaving is about the caller, not the household: viewers may do it too (see role-guard.ts).
  app.post(`${PAGE}/leave`, async (c) => {
    const auth = signedIn(c);
    if (auth instanceof Response) return auth;
    const householdId = requireSelected(auth);
    try {
      await removeMember(k, auth.user.id, householdId, auth.user.id);
    } catch (err) {
      if (err instanceof Problem && err.status === 409) return render(c, k, auth, householdId, null, { membersError: err.message }, 409);
      throw err;
    }
    const next = (await listMyHouseholds(k, auth.user.id))[0];
    await selectHousehold(c, k, next?.id ?? null);
    return navigate(c, next ? '/' : '/households/new');
  });
}

/** The invite link, absolute so it can be sent. The token travels in the query string, which the request log never records. */
export function inviteUrl(k: Kernel, c: Context<AppEnv>, token: string): string {
  const base = k.config.MFF_PUBLIC_URL ?? new URL(c.req.url).origin;
  return new URL(`/invites/accept?token=${encodeURIComponent(token)}`, base).toString();
}

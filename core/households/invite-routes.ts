// The page an invite link opens: which household and role it offers, and a button to join.
// The token rides in the query string (never logged) and in the accept form's body.
import type { Context, Hono } from 'hono';
import type { AppEnv } from '../http/env.ts';
import type { Kernel } from '../kernel.ts';
import { AlreadyMember, acceptInvite, INVITE_MESSAGES, InviteUnusable, lookupInvite, type InviteLookup } from './invites.ts';
import { selectHousehold } from './select.ts';
import { roleIn } from './service.ts';
import { formFields, loginUrl, navigate, signupUrl } from './web.ts';

const PATH = '/invites/accept';

type View = { invite?: InviteLookup; message?: string; alreadyMember?: boolean; token: string; login: string; signup: string };

function invitePage(c: Context<AppEnv>, k: Kernel, view: Omit<View, 'login' | 'signup'>, status = 200) {
  const back = `${PATH}?token=${encodeURIComponent(view.token)}`;
  // Someone else's invite link must not be cached or shown in a shared browser's history of pages.
  c.header('cache-control', 'no-store');
  return k.views.page(c, 'households/invite', { ...view, login: loginUrl(back), signup: signupUrl(back) }, { title: 'Invitation', status });
}

export function registerInviteRoutes(app: Hono<AppEnv>, k: Kernel): void {
  app.get(PATH, async (c) => {
    const token = c.req.query('token') ?? '';
    const invite = await lookupInvite(k, token);
    if (!invite) return invitePage(c, k, { token, message: INVITE_MESSAGES.unknown }, 404);
    if (invite.state !== 'pending') return invitePage(c, k, { token, invite, message: INVITE_MESSAGES[invite.state] }, 410);
    const auth = c.get('auth');
    const alreadyMember = !!auth && !!(await roleIn(k, auth.user.id, invite.householdId));
    return invitePage(c, k, { token, invite, alreadyMember });
  });

  app.post(PATH, async (c) => {
    const { token = '' } = await formFields(c);
    const auth = c.get('auth');
    if (!auth) return c.redirect(loginUrl(`${PATH}?token=${encodeURIComponent(token)}`), 303);
    try {
      const joined = await acceptInvite(k, auth.user.id, token);
      await selectHousehold(c, k, joined.householdId);
      return navigate(c, '/');
    } catch (err) {
      if (err instanceof InviteUnusable) {
        return invitePage(c, k, { token, invite: (await lookupInvite(k, token)) ?? undefined, message: err.message }, err.status);
      }
      if (err instanceof AlreadyMember) {
        await selectHousehold(c, k, err.householdId);
        return navigate(c, '/');
      }
      throw err;
    }
  });
}

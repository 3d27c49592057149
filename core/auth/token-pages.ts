// /settings/tokens: list, create (the secret is shown once, in the response to the create form)
// and revoke personal access tokens. Plain forms that htmx upgrades to in-place swaps.
import type { Context, Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv, Auth } from '../http/env.ts';
import { forbidden } from '../http/problem.ts';
import { isFragmentRequest } from '../http/render.ts';
import type { Kernel } from '../kernel.ts';
import { fieldErrors, formStrings } from './forms.ts';
import { createPat, listPats, revokePat, type PatInfo } from './personal-access-tokens.ts';

const EXPIRY_CHOICES = [
  { value: '30', label: '30 days' },
  { value: '90', label: '90 days' },
  { value: '365', label: '1 year' },
  { value: 'never', label: 'Never' },
] as const;

const CreateForm = z.object({
  name: z.string().trim().min(1, 'Give the token a name, e.g. the script that will use it.').max(100, 'Use at most 100 characters.'),
  access: z.enum(['read', 'write'], { error: 'Choose read-only or read and write.' }),
  expires: z.enum(['30', '90', '365', 'never'], { error: 'Choose when the token expires.' }),
});

type Extra = { created?: { token: string; info: PatInfo }; values?: Record<string, string>; errors?: Record<string, string>; error?: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function registerTokenPages(app: Hono<AppEnv>, k: Kernel): void {
  const render = async (c: Context<AppEnv>, auth: Auth, extra: Extra = {}, status = 200) => {
    const tokens = await listPats(k, auth.user.id);
    const data = { tokens, expiryChoices: EXPIRY_CHOICES, values: { access: 'read', expires: '90' }, errors: {}, now: new Date(), ...extra };
    // htmx swaps only 2xx responses, so a fragment with field errors goes back as 200.
    if (isFragmentRequest(c)) return k.views.page(c, 'settings/tokens-panel', data, { title: 'Access tokens' });
    return k.views.page(c, 'settings/tokens', data, { title: 'Access tokens', status });
  };
  const signedIn = (c: Context<AppEnv>) => c.get('auth');
  const toLogin = (c: Context<AppEnv>) => c.redirect('/login?next=%2Fsettings%2Ftokens', 303);

  app.get('/settings/tokens', async (c) => {
    const auth = signedIn(c);
    return auth ? render(c, auth) : toLogin(c);
  });

  app.post('/settings/tokens', async (c) => {
    const auth = signedIn(c);
    if (!auth) return toLogin(c);
    if (auth.via === 'pat') throw forbidden('personal access tokens cannot create tokens; sign in to create one');
    const form = formStrings(await c.req.parseBody());
    const parsed = CreateForm.safeParse(form);
    const values = { name: form.name ?? '', access: form.access ?? 'read', expires: form.expires ?? '90' };
    if (!parsed.success) return render(c, auth, { values, errors: fieldErrors(parsed.error) }, 422);
    const { name, access, expires } = parsed.data;
    const created = await createPat(k, auth.user.id, {
      name,
      scopes: access === 'write' ? ['read', 'write'] : ['read'],
      expiresAt: expires === 'never' ? null : new Date(Date.now() + Number(expires) * 86_400_000),
    });
    c.header('cache-control', 'no-store'); // the page carries the secret
    return render(c, auth, { created }, 201);
  });

  app.post('/settings/tokens/:id/revoke', async (c) => {
    const auth = signedIn(c);
    if (!auth) return toLogin(c);
    const id = c.req.param('id');
    const revoked = UUID.test(id) && (await revokePat(k, auth.user.id, id));
    if (!revoked) return render(c, auth, { error: 'That token does not exist or was already revoked.' }, 404);
    if (isFragmentRequest(c)) return render(c, auth);
    return c.redirect('/settings/tokens', 303);
  });
}

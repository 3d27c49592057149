// The households pages: home, create a household, switch between yours. Settings and invites have
// their own files; the JSON API is in api.ts.
import type { Context, Hono } from 'hono';
import type { AppEnv } from '../http/env.ts';
import { notFound } from '../http/problem.ts';
import type { Kernel } from '../kernel.ts';
import { renderSlot } from '../plugins/slots.ts';
import { registerHouseholdApi } from './api.ts';
import { registerInviteRoutes } from './invite-routes.ts';
import { HouseholdCreate } from './schemas.ts';
import { selectHousehold } from './select.ts';
import { createHousehold, listMyHouseholds, roleIn } from './service.ts';
import { registerSettingsRoutes } from './settings-routes.ts';
import { currencyOptions, fieldErrors, formFields, navigate, signedIn, timeZoneOptions, type FieldErrors } from './web.ts';

function newHouseholdPage(c: Context<AppEnv>, k: Kernel, values: Record<string, string>, errors: FieldErrors = {}, status = 200) {
  return k.views.page(
    c,
    'households/new',
    { values, errors, currencies: currencyOptions, timeZones: timeZoneOptions },
    { title: 'New household', status },
  );
}

export function registerHouseholdRoutes(app: Hono<AppEnv>, k: Kernel): void {
  app.get('/', async (c) => {
    const auth = c.get('auth');
    // A signed-in user with no household yet lands on the page that creates one.
    if (auth && !auth.householdId && (await listMyHouseholds(k, auth.user.id)).length === 0) return c.redirect('/households/new', 303);
    // Plugins' home cards: placeholders htmx fills one by one (core/plugins/slots.ts).
    return k.views.page(c, 'home', { cards: auth?.householdId ? renderSlot(k, 'home.card') : [] }, { title: 'Home' });
  });

  app.get('/households/new', async (c) => {
    const auth = signedIn(c);
    if (auth instanceof Response) return auth;
    const first = (await listMyHouseholds(k, auth.user.id)).length === 0;
    return newHouseholdPage(c, k, { name: '', baseCurrency: 'USD', timeZone: 'UTC', first: first ? '1' : '' });
  });

  app.post('/households', async (c) => {
    const auth = signedIn(c);
    if (auth instanceof Response) return auth;
    const { name = '', baseCurrency = '', timeZone = '' } = await formFields(c);
    const parsed = HouseholdCreate.safeParse({ name, baseCurrency, timeZone });
    if (!parsed.success) return newHouseholdPage(c, k, { name, baseCurrency, timeZone }, fieldErrors(parsed.error), 422);
    const household = await createHousehold(k, auth.user.id, parsed.data);
    await selectHousehold(c, k, household.id);
    return navigate(c, '/');
  });

  app.post('/households/switch', async (c) => {
    const auth = signedIn(c);
    if (auth instanceof Response) return auth;
    const { householdId = '' } = await formFields(c);
    if (!(await roleIn(k, auth.user.id, householdId))) throw notFound('No household with this id among yours.');
    await selectHousehold(c, k, householdId);
    return navigate(c, '/');
  });

  registerSettingsRoutes(app, k);
  registerInviteRoutes(app, k);
  registerHouseholdApi(k);
}

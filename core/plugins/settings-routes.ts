// /settings/plugins/<id>: the household's settings for one plugin, as a form the kernel renders
// from the manifest's JSON Schema. Stored per household (RLS) and read by the plugin as ctx.settings.
// Everyone in the household sees them; owners change them.
import type { Context, Hono } from 'hono';
import type { Kernel } from '../kernel.ts';
import type { AppEnv } from '../http/env.ts';
import { forbidden, notFound } from '../http/problem.ts';
import { readSettings, writeSettings } from './settings-store.ts';
import { parseSettingsForm, settingsFields } from './settings-form.ts';

function member(c: Context<AppEnv>) {
  const auth = c.get('auth');
  if (!auth || !auth.householdId || !auth.role) return null;
  return auth as typeof auth & { householdId: string };
}

export function registerPluginSettingsRoutes(app: Hono<AppEnv>, k: Kernel): void {
  const configurable = () => k.plugins.list().filter((p) => p.status === 'active' && p.manifest.settings?.properties && Object.keys(p.manifest.settings.properties).length);
  const plugin = (c: Context<AppEnv>) => {
    const p = configurable().find((x) => x.id === c.req.param('id'));
    if (!p) throw notFound('This plugin has no settings, or is not enabled.');
    return p;
  };

  app.get('/settings/plugins', async (c) => {
    if (!member(c)) return c.redirect('/login?next=/settings/plugins', 303);
    return k.views.page(c, 'plugins/settings-list', { plugins: configurable().map((p) => ({ id: p.id, name: p.manifest.name ?? p.id, description: p.manifest.description })) }, { title: 'Plugin settings' });
  });

  app.get('/settings/plugins/:id', async (c) => {
    const auth = member(c);
    if (!auth) return c.redirect(`/login?next=${encodeURIComponent(c.req.path)}`, 303);
    const p = plugin(c);
    const values = await k.db.withHousehold({ householdId: auth.householdId, userId: auth.user.id }, (tx) => readSettings(tx, auth.householdId, p.id, p.manifest.settings));
    return k.views.page(c, 'plugins/settings', { plugin: { id: p.id, name: p.manifest.name ?? p.id }, fields: settingsFields(p.manifest.settings!, values), errors: {}, canEdit: auth.role === 'owner', saved: c.req.query('saved') === '1' }, { title: `${p.manifest.name ?? p.id} settings` });
  });

  app.post('/settings/plugins/:id', async (c) => {
    const auth = member(c);
    if (!auth) return c.redirect('/login', 303);
    if (auth.role !== 'owner') throw forbidden('Only household owners change plugin settings.');
    const p = plugin(c);
    const form: Record<string, string> = {};
    for (const [key, v] of Object.entries(await c.req.parseBody())) if (typeof v === 'string') form[key] = v;
    const { values, errors } = parseSettingsForm(p.manifest.settings!, form);
    if (Object.keys(errors).length) {
      return k.views.page(c, 'plugins/settings', { plugin: { id: p.id, name: p.manifest.name ?? p.id }, fields: settingsFields(p.manifest.settings!, { ...values, ...form }), errors, canEdit: true, saved: false }, { title: `${p.manifest.name ?? p.id} settings`, status: 422 });
    }
    await k.db.withHousehold({ householdId: auth.householdId, userId: auth.user.id }, (tx) => writeSettings(tx, auth.householdId, p.id, values, auth.user.id));
    return c.redirect(`/settings/plugins/${p.id}?saved=1`, 303);
  });
}

// /admin/plugins/<id>/settings: the instance admin's settings for one plugin (manifest
// `instanceSettings`), as a form the kernel renders from the JSON Schema. Secret fields are sealed at
// rest and never rendered back: the form says whether one is set and takes a replacement. The plugin
// reads the values with ctx.instanceSettings.get(). Only the instance admin sees or changes them.
import type { Context, Hono } from 'hono';
import type { Kernel } from '../kernel.ts';
import type { AppEnv } from '../http/env.ts';
import { forbidden, notFound } from '../http/problem.ts';
import type { HostedPlugin } from './host.ts';
import { hasInstanceSettings, readInstanceSecrets, readInstanceSettingsForForm, saveInstanceSettings, secretFields } from './instance-settings-store.ts';
import { parseSettingsForm, settingsFields } from './settings-form.ts';

function instanceAdmin(c: Context<AppEnv>) {
  const auth = c.get('auth');
  if (!auth) return null;
  if (!auth.user.isAdmin) throw forbidden('Only the instance admin changes instance settings of plugins.');
  return auth;
}

/** The checkbox that removes a set secret: "<field>__clear". */
const CLEAR = '__clear';

export function registerInstanceSettingsRoutes(app: Hono<AppEnv>, k: Kernel): void {
  const plugin = (c: Context<AppEnv>) => {
    const p = k.plugins.get(c.req.param('id') ?? '');
    if (!p || !hasInstanceSettings(p)) throw notFound('This plugin has no instance settings, or is not listed in mff.config.ts.');
    return p;
  };

  const render = (c: Context<AppEnv>, p: HostedPlugin, values: Record<string, unknown>, secretsSet: Set<string>, errors: Record<string, string>, status = 200) => {
    const schema = p.manifest.instanceSettings!;
    const secrets = secretFields(schema);
    // A secret's value never goes into the page: not the stored one, not even one just typed.
    const shown = Object.fromEntries(Object.entries(values).filter(([name]) => !secrets.has(name)));
    const fields = settingsFields(schema, shown).map((f) => secrets.has(f.name)
      ? { ...f, input: 'password' as const, value: '', secret: true, isSet: secretsSet.has(f.name), removable: secretsSet.has(f.name) && !f.required, required: f.required && !secretsSet.has(f.name) }
      : { ...f, secret: false, isSet: false, removable: false });
    return k.views.page(c, 'plugins/instance-settings', {
      plugin: { id: p.id, name: p.manifest.name ?? p.id, status: p.status },
      fields,
      errors,
      saved: status === 200 && c.req.query('saved') === '1',
    }, { title: `${p.manifest.name ?? p.id}: instance settings`, status });
  };

  app.get('/admin/plugins/:id/settings', async (c) => {
    if (!instanceAdmin(c)) return c.redirect(`/login?next=${encodeURIComponent(c.req.path)}`, 303);
    const p = plugin(c);
    const { values, secretsSet } = await readInstanceSettingsForForm(k.db.app, p.id, p.manifest.instanceSettings);
    return render(c, p, values, secretsSet, {});
  });

  app.post('/admin/plugins/:id/settings', async (c) => {
    const auth = instanceAdmin(c);
    if (!auth) return c.redirect('/login', 303);
    const p = plugin(c);
    const schema = p.manifest.instanceSettings!;
    const secrets = secretFields(schema);
    const form: Record<string, string> = {};
    for (const [key, v] of Object.entries(await c.req.parseBody())) if (typeof v === 'string') form[key] = v;

    // Secrets: a typed value replaces, "remove" clears, an empty field keeps the one set.
    const current = await readInstanceSecrets(k.db.app, [k.keys.encryption], p.id);
    const clear = [...secrets].filter((n) => form[n + CLEAR] === 'on' && !(form[n] ?? '').trim());
    const keep: Record<string, unknown> = {};
    for (const n of secrets) if (!(form[n] ?? '').trim() && n in current && !clear.includes(n)) keep[n] = current[n];
    const { values, errors } = parseSettingsForm(schema, form, keep);
    if (Object.keys(errors).length) {
      const secretsSet = new Set(Object.keys(current).filter((n) => secrets.has(n)));
      return render(c, p, values, secretsSet, errors, 422);
    }
    const changed = await saveInstanceSettings(k.db.app, k.keys.encryption, p.id, schema, values, clear, auth.user.id);
    c.get('log')?.info('plugin instance settings changed', changed);
    return c.redirect(`/admin/plugins/${p.id}/settings?saved=1`, 303);
  });
}

// The instance admin's plugin settings over the API (the same as the form at
// /admin/plugins/<id>/settings): GET shows the plain values and which secrets are set, never a
// secret's value; PUT replaces the plain values, sets the secrets it carries, keeps the others, and
// removes those named in clearSecrets. Validated against the manifest's instanceSettings schema;
// a refusal lists each field with what is wrong.
import { z } from 'zod';
import type { Kernel } from '../kernel.ts';
import type { Auth } from '../http/env.ts';
import { badRequest, forbidden, notFound } from '../http/problem.ts';
import type { PluginHost } from './host.ts';
import { hasInstanceSettings, readInstanceSecrets, readInstanceSettingsForForm, saveInstanceSettings, secretFields } from './instance-settings-store.ts';
import { validateSettings } from './settings-form.ts';

const PluginId = z.object({ id: z.string().regex(/^[a-z][a-z0-9-]*$/).max(40) }).strict();
const Settings = z.object({
  plugin: z.string(),
  values: z.record(z.string(), z.unknown()).describe('plain fields, defaults filled in'),
  secrets: z.array(z.object({ name: z.string(), set: z.boolean() })).describe('secret fields: whether each is set (values are never shown)'),
});
const Change = z.object({
  values: z.record(z.string(), z.unknown()).describe('every field to keep set (plain fields not given are unset); secret fields given replace the stored ones, omitted ones are kept'),
  clearSecrets: z.array(z.string()).max(50).optional().describe('secret fields to remove'),
}).strict();

export function registerInstanceSettingsApi(k: Kernel, host: PluginHost): void {
  const plugin = (auth: Auth, id: string) => {
    if (!auth.user.isAdmin) throw forbidden('Only the instance admin reads or changes instance settings of plugins.');
    const p = host.get(id);
    if (!p || !hasInstanceSettings(p)) throw notFound('This plugin has no instance settings, or is not listed in mff.config.ts.');
    return { id: p.id, schema: p.manifest.instanceSettings! };
  };
  const show = async (id: string, schema: NonNullable<ReturnType<typeof plugin>['schema']>) => {
    const { values, secretsSet } = await readInstanceSettingsForForm(k.db.app, id, schema);
    return { plugin: id, values, secrets: [...secretFields(schema)].map((name) => ({ name, set: secretsSet.has(name) })) };
  };

  k.api.add({
    method: 'get',
    path: '/admin/plugins/:id/settings',
    tag: 'Admin',
    summary: "A plugin's instance settings (instance admins; secrets only as set or not)",
    params: PluginId,
    response: Settings,
    handler: async ({ params, auth }) => {
      const { id, schema } = plugin(auth, params.id);
      return show(id, schema);
    },
  });

  k.api.add({
    method: 'put',
    path: '/admin/plugins/:id/settings',
    tag: 'Admin',
    summary: "Change a plugin's instance settings (instance admins)",
    params: PluginId,
    body: Change,
    response: Settings,
    handler: async ({ params, body, auth, c }) => {
      const { id, schema } = plugin(auth, params.id);
      const props = schema.properties ?? {};
      const secrets = secretFields(schema);
      const unknown = [...Object.keys(body.values), ...(body.clearSecrets ?? [])].filter((n) => !(n in props) || (body.clearSecrets?.includes(n) && !secrets.has(n)));
      if (unknown.length) throw badRequest('unknown or non-secret fields', unknown.map((field) => ({ field, message: `is not a ${body.clearSecrets?.includes(field) ? 'secret ' : ''}field of this plugin's instance settings` })));
      const clear = (body.clearSecrets ?? []).filter((n) => !(n in body.values));
      const current = await readInstanceSecrets(k.db.app, [k.keys.encryption], id);
      const kept = Object.fromEntries([...secrets].filter((n) => !(n in body.values) && !clear.includes(n) && n in current).map((n) => [n, current[n]]));
      const errors = validateSettings(schema, { ...kept, ...body.values });
      if (Object.keys(errors).length) {
        throw badRequest('invalid instance settings', Object.entries(errors).map(([field, message]) => ({ field, message: `${String(props[field]?.title ?? field)} ${message}` })));
      }
      const changed = await saveInstanceSettings(k.db.app, k.keys.encryption, id, schema, body.values, clear, auth.user.id);
      c.get('log')?.info('plugin instance settings changed', changed);
      return show(id, schema);
    },
  });
}

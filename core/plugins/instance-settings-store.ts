// Instance-wide plugin settings (manifest `instanceSettings`), one row per plugin in
// kernel.plugin_instance_settings: plain fields as JSON, secret fields (`writeOnly: true`) each
// sealed with AES-256-GCM (core/secrets.ts), so the database never holds a secret in the clear.
import type { Sql } from 'postgres';
import type { JsonSchemaObject } from '../../plugin-sdk/types.ts';
import { decryptSecret, encryptSecret, type EncryptionKey } from '../secrets.ts';
import { settingsDefaults } from './settings-store.ts';

/** Whether a plugin's manifest declares any instance setting (else it has no form and no API). */
export const hasInstanceSettings = (p: { manifest: { instanceSettings?: JsonSchemaObject } }) => Object.keys(p.manifest.instanceSettings?.properties ?? {}).length > 0;

/** Names of the schema's secret fields. */
export function secretFields(schema: JsonSchemaObject | undefined): Set<string> {
  return new Set(Object.entries(schema?.properties ?? {}).filter(([, p]) => p.writeOnly === true).map(([name]) => name));
}

type Stored = { values: Record<string, unknown>; sealed: Record<string, string> };

async function readRow(sql: Sql, pluginId: string): Promise<Stored> {
  const [row] = await sql`select "values", sealed from kernel.plugin_instance_settings where plugin_id = ${pluginId}`;
  return { values: (row?.values ?? {}) as Record<string, unknown>, sealed: (row?.sealed ?? {}) as Record<string, string> };
}

/** What the plugin reads: defaults, then the admin's values, secrets opened. Unset fields are absent. */
export async function readInstanceSettings(sql: Sql, keys: EncryptionKey[], pluginId: string, schema: JsonSchemaObject | undefined): Promise<Record<string, unknown>> {
  const secrets = secretFields(schema);
  const { values, sealed } = await readRow(sql, pluginId);
  const out: Record<string, unknown> = { ...settingsDefaults(schema) };
  // Only fields the current schema declares: a field dropped by an upgrade is not handed out.
  for (const [name, v] of Object.entries(values)) if (schema?.properties?.[name] && !secrets.has(name)) out[name] = v;
  for (const [name, s] of Object.entries(sealed)) if (secrets.has(name)) out[name] = decryptSecret(s, keys);
  return out;
}

/** What the admin's form shows: plain values, and only which secrets are set (never their value). */
export async function readInstanceSettingsForForm(sql: Sql, pluginId: string, schema: JsonSchemaObject | undefined): Promise<{ values: Record<string, unknown>; secretsSet: Set<string> }> {
  const { values, sealed } = await readRow(sql, pluginId);
  return { values: { ...settingsDefaults(schema), ...values }, secretsSet: new Set(Object.keys(sealed).filter((n) => secretFields(schema).has(n))) };
}

/** The secrets as they are now, opened (kernel only: to validate a form that keeps them). */
export async function readInstanceSecrets(sql: Sql, keys: EncryptionKey[], pluginId: string): Promise<Record<string, string>> {
  const { sealed } = await readRow(sql, pluginId);
  return Object.fromEntries(Object.entries(sealed).map(([n, s]) => [n, decryptSecret(s, keys)]));
}

/**
 * Saves an admin's validated change (the form and the API both): `values` holds the plain fields to
 * keep set and the secrets being replaced; secrets in `clear` are deleted, the others kept. Returns
 * what changed, by name only, for the log.
 */
export async function saveInstanceSettings(sql: Sql, key: EncryptionKey, pluginId: string, schema: JsonSchemaObject, values: Record<string, unknown>, clear: string[], userId: string | null) {
  const secrets = secretFields(schema);
  const plain = Object.fromEntries(Object.entries(values).filter(([n]) => !secrets.has(n)));
  const typed = Object.fromEntries(Object.entries(values).filter(([n, v]) => secrets.has(n) && typeof v === 'string')) as Record<string, string>;
  await writeInstanceSettings(sql, key, pluginId, { values: plain, secrets: typed, clear }, userId);
  return { plugin: pluginId, fields: Object.keys(plain), secretsReplaced: Object.keys(typed), secretsCleared: clear };
}

/**
 * Replaces the plain fields with `values`; sets the secrets in `secrets`, deletes those in `clear`,
 * keeps the others as they were.
 */
async function writeInstanceSettings(sql: Sql, key: EncryptionKey, pluginId: string, change: { values: Record<string, unknown>; secrets: Record<string, string>; clear: string[] }, userId: string | null): Promise<void> {
  await sql.begin(async (tx) => {
    const [row] = await tx`select sealed from kernel.plugin_instance_settings where plugin_id = ${pluginId} for update`;
    const sealed: Record<string, string> = { ...((row?.sealed ?? {}) as Record<string, string>) };
    for (const name of change.clear) delete sealed[name];
    for (const [name, v] of Object.entries(change.secrets)) sealed[name] = encryptSecret(v, key);
    await tx`insert into kernel.plugin_instance_settings (plugin_id, "values", sealed, updated_by)
             values (${pluginId}, ${tx.json(change.values as never)}, ${tx.json(sealed)}, ${userId})
             on conflict (plugin_id) do update
               set "values" = excluded."values", sealed = excluded.sealed, updated_by = excluded.updated_by, updated_at = now()`;
  });
}

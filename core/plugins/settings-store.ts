// Per-household plugin settings: stored values (validated against the manifest's JSON Schema when
// saved, see settings-routes.ts) merged over the schema's defaults when read.
import type { Tx } from '../db/household-binding.ts';
import type { JsonSchemaObject } from '../../plugin-sdk/types.ts';

export function settingsDefaults(schema: JsonSchemaObject | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, prop] of Object.entries(schema?.properties ?? {})) if ('default' in prop) out[name] = prop.default;
  return out;
}

export async function readSettings(tx: Tx, householdId: string, pluginId: string, schema: JsonSchemaObject | undefined): Promise<Record<string, unknown>> {
  const [row] = await tx`select "values" from kernel.plugin_settings where household_id = ${householdId} and plugin_id = ${pluginId}`;
  return { ...settingsDefaults(schema), ...(row?.values ?? {}) };
}

export async function writeSettings(tx: Tx, householdId: string, pluginId: string, values: Record<string, unknown>, userId: string | null): Promise<void> {
  await tx`insert into kernel.plugin_settings (household_id, plugin_id, "values", updated_by)
           values (${householdId}, ${pluginId}, ${tx.json(values as never)}, ${userId})
           on conflict (household_id, plugin_id) do update
             set "values" = excluded."values", updated_by = excluded.updated_by, updated_at = now()`;
}

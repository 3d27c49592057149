// Plugin secrets at rest: one row per (household, plugin, name), sealed with AES-256-GCM
// (core/secrets.ts). Reads and writes go through the household-bound transaction, so RLS keeps
// each household's secrets to itself; the plugin id in the key keeps plugins apart.
import type { Tx } from '../db/household-binding.ts';
import { decryptSecret, encryptSecret, type EncryptionKey } from '../secrets.ts';

export async function readSecret(tx: Tx, keys: EncryptionKey[], householdId: string, pluginId: string, name: string): Promise<string | null> {
  const [row] = await tx`select sealed from kernel.plugin_secrets
                         where household_id = ${householdId} and plugin_id = ${pluginId} and name = ${name}`;
  return row ? decryptSecret(row.sealed, keys) : null;
}

export async function writeSecret(tx: Tx, key: EncryptionKey, householdId: string, pluginId: string, name: string, value: string): Promise<void> {
  const sealed = encryptSecret(value, key);
  await tx`insert into kernel.plugin_secrets (household_id, plugin_id, name, sealed)
           values (${householdId}, ${pluginId}, ${name}, ${sealed})
           on conflict (household_id, plugin_id, name) do update set sealed = excluded.sealed, updated_at = now()`;
}

export async function deleteSecret(tx: Tx, householdId: string, pluginId: string, name: string): Promise<void> {
  await tx`delete from kernel.plugin_secrets where household_id = ${householdId} and plugin_id = ${pluginId} and name = ${name}`;
}

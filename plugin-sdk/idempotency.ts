// Idempotency-Key for a plugin's API creates (routes declared with `idempotent: true`): the first
// answer to (route, key) is stored in the same transaction as what it created, so a client retrying
// after a lost response gets that answer again and nothing is created twice. A concurrent retry
// waits on the key's row until the first commits, then reads it. The same key with another body is
// refused (422). The plugin keeps the keys in an `idempotency_keys` table of its own schema, created
// by one of its migrations (plugin-sdk/README.md has the table).
import { HttpError } from './errors.ts';
import type { PluginContext, PluginSql } from './types.ts';

async function hashOf(body: unknown): Promise<string> {
  const bytes = new TextEncoder().encode(JSON.stringify(body ?? null));
  return Array.from(new Uint8Array(await crypto.subtle.digest('SHA-256', bytes)), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Runs `create` once per Idempotency-Key; `onCreated` runs after the commit of a first run only (not for a replay). */
export async function idempotent<T>(
  ctx: PluginContext, route: string, body: unknown, create: (sql: PluginSql) => Promise<T>, onCreated?: (result: T) => Promise<unknown>,
): Promise<T> {
  const key = ctx.idempotencyKey;
  if (!key) {
    const result = await ctx.db.tx(create);
    if (onCreated) await onCreated(result);
    return result;
  }
  if (key.length > 255) throw new HttpError(400, 'Idempotency-Key is longer than 255 characters');
  const hash = await hashOf(body);
  let created = false;
  const result = await ctx.db.tx(async (sql) => {
    await sql`insert into idempotency_keys (household_id, route, key, request_hash)
      values ((select kernel.current_household()), ${route}, ${key}, ${hash}) on conflict do nothing`;
    const [row] = await sql`select request_hash, response from idempotency_keys where route = ${route} and key = ${key} for update`;
    if (row.request_hash !== hash) throw new HttpError(422, 'this Idempotency-Key was used with a different request');
    if (row.response !== null) return row.response as T;
    const made = await create(sql);
    await sql`update idempotency_keys set response = ${JSON.stringify(made)}::text::jsonb where route = ${route} and key = ${key}`;
    created = true;
    return made;
  });
  if (created && onCreated) await onCreated(result);
  return result;
}

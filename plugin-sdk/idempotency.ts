// Idempotency-Key for a plugin's API creates (routes declared with `idempotent: true`): the first
// answer to (route, key) is stored in the same transaction as what it created, so a client retrying
// after a lost response gets that answer again and nothing is created twice. A concurrent retry
// waits on the key's row until the first commits, then reads it. The same key with another body is
// refused (422). The plugin keeps the keys in an `idempotency_keys` table of its own schema, created
// by one of its migrations (plugin-sdk/README.md has the table and its index).
//
// Keys expire after IDEMPOTENCY_KEY_TTL_HOURS (24, as Stripe's do): an older key counts as unused, so
// a request with it runs again, whatever the body, and its answer replaces the old one. Nothing
// schedules a clean-up: each stored answer deletes up to EXPIRED_KEYS_DELETED_PER_STORE of the
// household's expired keys in its own transaction, so a household's table holds about a day's keys
// (plus what it stored before it fell silent) rather than every key it ever used.
import { HttpError } from './errors.ts';
import type { PluginContext, PluginSql } from './types.ts';

/** How long a stored answer is replayed for its Idempotency-Key; after that the key may be reused. */
export const IDEMPOTENCY_KEY_TTL_HOURS = 24;
/** At most this many expired keys are deleted per stored answer, so a store's cost stays bounded. */
export const EXPIRED_KEYS_DELETED_PER_STORE = 100;

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
    // Claims the key: inserts it, or takes an expired one over as if new (returning a row either
    // way). ON CONFLICT DO UPDATE locks the existing row even when it is live and left alone, so a
    // concurrent request with the same key (expired or not) waits here until this one commits and
    // then finds a live key: one run.
    const claimed = await sql`insert into idempotency_keys (household_id, route, key, request_hash)
      values ((select kernel.current_household()), ${route}, ${key}, ${hash})
      on conflict (household_id, route, key) do update
        set request_hash = excluded.request_hash, response = null, created_at = now()
        where idempotency_keys.created_at < now() - make_interval(hours => ${IDEMPOTENCY_KEY_TTL_HOURS})
      returning 1`;
    if (claimed.length === 0) {
      // A live key, already locked by the statement above.
      const [row] = await sql`select request_hash, response from idempotency_keys where route = ${route} and key = ${key}`;
      if (row.request_hash !== hash) throw new HttpError(422, 'this Idempotency-Key was used with a different request');
      if (row.response !== null) return row.response as T;
    }
    const made = await create(sql);
    await sql`update idempotency_keys set response = ${JSON.stringify(made)}::text::jsonb where route = ${route} and key = ${key}`;
    // Clean-up as we go: the oldest expired keys, through the (household_id, created_at) index
    // (row-level security supplies the household). SKIP LOCKED passes over a key another request
    // is taking over right now, rather than waiting on it (two clean-ups could deadlock).
    await sql`delete from idempotency_keys where (route, key) in (
      select route, key from idempotency_keys
      where created_at < now() - make_interval(hours => ${IDEMPOTENCY_KEY_TTL_HOURS})
      order by created_at limit ${EXPIRED_KEYS_DELETED_PER_STORE} for update skip locked)`;
    created = true;
    return made;
  });
  if (created && onCreated) await onCreated(result);
  return result;
}

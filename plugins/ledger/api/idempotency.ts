// Idempotency-Key on the API's creates: the first answer to (route, key) is stored in the same
// transaction as the object it created, so a retry gets that answer and nothing is created twice.
// A concurrent retry waits on the key's row (primary key) until the first commits, then reads it.
import { createHash } from 'node:crypto';
import type { PluginContext } from '../../../plugin-sdk/index.ts';
import { HttpError } from '../service/errors.ts';
import { householdId } from '../service/household.ts';
import { jsonParam, type Tx } from '../service/tx.ts';

const hashOf = (body: unknown) => createHash('sha256').update(JSON.stringify(body ?? null)).digest('hex');

/** Runs `create` once per key; `onCreated` runs after the commit of a first run only (not for a replay). */
export async function idempotent<T>(
  ctx: PluginContext, route: string, body: unknown, create: (tx: Tx) => Promise<T>, onCreated?: (result: T) => Promise<void>,
): Promise<T> {
  let created = false;
  const result = await run(ctx, route, body, async (tx) => {
    created = true;
    return create(tx);
  });
  if (created && onCreated) await onCreated(result);
  return result;
}

async function run<T>(ctx: PluginContext, route: string, body: unknown, create: (tx: Tx) => Promise<T>): Promise<T> {
  const key = ctx.idempotencyKey;
  if (!key) return ctx.db.tx(create);
  if (key.length > 255) throw new HttpError(400, 'Idempotency-Key is longer than 255 characters');
  const hash = hashOf(body);
  return ctx.db.tx(async (tx) => {
    await tx`insert into ledger.idempotency_keys (household_id, route, key, request_hash)
      values (${householdId(tx)}, ${route}, ${key}, ${hash}) on conflict do nothing`;
    const [row] = await tx<{ request_hash: string; response: T | null }>`
      select request_hash, response from ledger.idempotency_keys where route = ${route} and key = ${key} for update`;
    if (row.request_hash !== hash) throw new HttpError(422, 'this Idempotency-Key was used with a different request');
    if (row.response !== null) return row.response;
    const result = await create(tx);
    await tx`update ledger.idempotency_keys set response = ${jsonParam(result)}::text::jsonb where route = ${route} and key = ${key}`;
    return result;
  });
}

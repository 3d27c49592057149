// The only way request and job code reaches household data: a transaction bound to one household
// (and user) by an HMAC the database verifies. See migrations/0001_kernel.sql, kernel.verified_binding.
import { createHmac } from 'node:crypto';
import type { Sql, TransactionSql } from 'postgres';

export type Tx = TransactionSql<Record<string, never>>;
export type Binding = { householdId?: string | null; userId?: string | null };

export function signBinding(key: Buffer, b: Binding, xid: string): string {
  const payload = `${b.householdId ?? ''}.${b.userId ?? ''}.${xid}`;
  return `${payload}.${createHmac('sha256', key).update(payload).digest('hex')}`;
}

/**
 * Binds an already open transaction. Used by the kernel and by the plugin host for plugin connections.
 * `searchPath` (a plugin's schema, already quoted) is set in the same statement: every plugin
 * transaction needs both, and a sync page is a transaction of its own.
 *
 * The binding is sent, not awaited: the caller's first statement queues behind it on the same
 * connection, so binding costs one round trip (the xid), not two. Nothing can run unbound: if
 * set_config failed, the transaction is aborted, every later statement fails, and the driver
 * throws the binding's error when the transaction ends.
 */
export async function bindTransaction(tx: Tx, key: Buffer, b: Binding, searchPath?: string): Promise<void> {
  const [{ xid }] = await tx`select txid_current()::text as xid`;
  const binding = signBinding(key, b, xid);
  const bind = searchPath === undefined
    ? tx`select set_config('mff.binding', ${binding}, true)`
    : tx`select set_config('mff.binding', ${binding}, true), set_config('search_path', ${searchPath}, true)`;
  bind.catch(() => {}); // starts it; the transaction reports a failure (see above)
}

export function binder(sql: Sql, key: Buffer) {
  return async function withBinding<T>(b: Binding, fn: (tx: Tx) => Promise<T>): Promise<T> {
    return sql.begin(async (tx) => {
      await bindTransaction(tx as Tx, key, b);
      return fn(tx as Tx);
    }) as Promise<T>;
  };
}

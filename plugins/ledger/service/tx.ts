// The database handle every service function takes: the plugin SDK's tagged-template `sql` inside a
// transaction bound to one household (ctx.db.tx(sql => ...)). Row-level security does the scoping;
// the service never names a household itself. Only what the SDK's `sql` offers is used (bound
// parameters, nested fragments), so the same code runs in-process and sandboxed.
import type { PluginSql, SqlQuery } from '../../../plugin-sdk/types.ts';

export type Tx = PluginSql;

/** A piece of SQL built with tx`...` to splice into another query. */
export type Fragment = SqlQuery;

/**
 * Rows travel as JSON text: one parameter for a whole batch, expanded with jsonb_to_recordset.
 * Write it as `${jsonParam(rows)}::text::jsonb`: typed text, the driver sends it as is (a parameter
 * the server describes as jsonb would be JSON-encoded a second time).
 */
export const jsonParam = (value: unknown): string => JSON.stringify(value);

/** Joins fragments: `join(tx, [a, b], ', ')`. */
export function join(tx: Tx, parts: Fragment[], separator: ', ' | ' and '): Fragment {
  return parts.reduce((a, b) => (separator === ', ' ? tx`${a}, ${b}` : tx`${a} and ${b}`));
}

/** Timestamps arrive as Date in-process and may arrive as text across the sandbox boundary. */
export const isoTime = (v: unknown): string => (v instanceof Date ? v : new Date(String(v))).toISOString();

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

const SPECIAL = /["\\]/;
const SPECIALS = /["\\]/g;

/**
 * A list as one PostgreSQL array literal, for `${arrayParam(values)}::uuid[]` (or text[], date[]...):
 * every element quoted, `"` and `\` escaped, null as NULL. Built here in one pass instead of by the
 * driver, which runs two regular-expression replaces over every element of an array parameter.
 */
export function arrayParam(values: readonly (string | null)[]): string {
  let out = '{';
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (i > 0) out += ',';
    out += v === null ? 'NULL' : `"${SPECIAL.test(v) ? v.replace(SPECIALS, '\\$&') : v}"`;
  }
  return `${out}}`;
}

/** Joins fragments: `join(tx, [a, b], ', ')`. */
export function join(tx: Tx, parts: Fragment[], separator: ', ' | ' and '): Fragment {
  return parts.reduce((a, b) => (separator === ', ' ? tx`${a}, ${b}` : tx`${a} and ${b}`));
}

/** Timestamps arrive as Date in-process and may arrive as text across the sandbox boundary. */
export const isoTime = (v: unknown): string => (v instanceof Date ? v : new Date(String(v))).toISOString();

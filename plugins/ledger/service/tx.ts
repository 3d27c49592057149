// The database handle every service function takes: a transaction already bound to one household
// (k.db.withHousehold / the plugin context's ctx.db). Row-level security does the scoping; the
// service never names a household itself.
import type { PendingQuery, Row, TransactionSql } from 'postgres';

export type Tx = TransactionSql<Record<string, never>>;

/** A piece of SQL built with tx`...` to splice into another query. */
export type Fragment = PendingQuery<Row[]>;

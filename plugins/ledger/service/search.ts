// Substring search over payee, description and notes, served by the trigram index
// transactions_search. The expression must stay identical to the index's (see 0001_ledger.sql).
import type { Fragment, Tx } from './tx.ts';

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export const searchCondition = (tx: Tx, q: string): Fragment =>
  tx`(coalesce(t.payee, '') || ' ' || coalesce(t.description, '') || ' ' || coalesce(t.notes, '')) ilike ${`%${escapeLike(q)}%`}`;

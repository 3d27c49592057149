// Substring search over payee, description and notes (case-insensitive; % and _ are literal).
import type { Fragment, Tx } from './tx.ts';

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export const searchCondition = (tx: Tx, q: string): Fragment =>
  tx`(coalesce(t.payee, '') || ' ' || coalesce(t.description, '') || ' ' || coalesce(t.notes, '')) ilike ${`%${escapeLike(q)}%`}`;

// The transactions list: filters plus keyset pagination, newest first. Every filter is a condition
// on the index-friendly (household_id, date desc, id desc) order, so a page costs the same at the
// millionth row as at the first.
import { TransactionListQuery, type TransactionListQueryT, type TransactionT } from '../schemas/transactions.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { invalid, parse } from './errors.ts';
import { searchCondition } from './search.ts';
import { selectTransactions, toTransaction } from './transaction-row.ts';
import { join, type Fragment, type Tx } from './tx.ts';

export type TransactionPage = { items: TransactionT[]; nextCursor: string | null };

export async function listTransactions(tx: Tx, input: TransactionListQueryT = {}): Promise<TransactionPage> {
  const q = parse(TransactionListQuery, input);
  const conds: Fragment[] = [];
  if (q.from) conds.push(tx`t.date >= ${q.from}::date`);
  if (q.to) conds.push(tx`t.date <= ${q.to}::date`);
  if (q.accountId?.length) conds.push(tx`t.account_id = any(${q.accountId}::uuid[])`);
  // A group stands for itself and its categories; "uncategorized" may be combined with categories.
  const inCategories = q.categoryId?.length
    ? tx`t.category_id in (select id from ledger.categories where id = any(${q.categoryId}::uuid[]) or parent_id = any(${q.categoryId}::uuid[]))`
    : undefined;
  if (inCategories && q.uncategorized) conds.push(tx`(${inCategories} or t.category_id is null)`);
  else if (inCategories) conds.push(inCategories);
  else if (q.uncategorized === true) conds.push(tx`t.category_id is null`);
  if (q.uncategorized === false) conds.push(tx`t.category_id is not null`);
  if (q.pending !== undefined) conds.push(tx`t.pending = ${q.pending}`);
  if (q.excluded !== undefined) conds.push(tx`t.excluded = ${q.excluded}`);
  if (q.isTransfer !== undefined) conds.push(tx`t.is_transfer = ${q.isTransfer}`);
  if (q.tags?.length) conds.push(tx`t.tags @> ${q.tags}::text[]`);
  if (q.minAmount !== undefined) conds.push(tx`t.amount >= ${q.minAmount}::numeric`);
  if (q.maxAmount !== undefined) conds.push(tx`t.amount <= ${q.maxAmount}::numeric`);
  if (q.from && q.to && q.from > q.to) throw invalid('from is after to');
  if (q.q) conds.push(searchCondition(tx, q.q));
  if (q.cursor) {
    const after = decodeCursor(q.cursor);
    conds.push(tx`(t.date, t.id) < (${after.date}::date, ${after.id}::uuid)`);
  }
  const where = conds.length ? join(tx, conds, ' and ') : tx`true`;
  // One row more than asked tells whether there is a next page.
  const rows = await selectTransactions(
    tx,
    tx`(select * from ledger.transactions t where ${where} order by t.date desc, t.id desc limit ${q.limit + 1})`,
  );
  const items = rows.slice(0, q.limit).map(toTransaction);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > q.limit && last ? encodeCursor({ date: last.date, id: last.id }) : null };
}

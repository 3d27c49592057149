// The transactions list: filters plus keyset pagination, newest first.
//
// Filters that an index serves in (date desc, id desc) order (date range, account, category,
// uncategorized, pending, "has tags") go in the scan's WHERE, so a page costs the same at the
// millionth row as at the first. The others (text search, amount range, tags, excluded, transfer)
// cannot use an index under forced row-level security (PostgreSQL only lets leakproof operators be
// index conditions there, and ILIKE, numeric comparison and array @> are not), so they are checked
// on rows scanned newest first, in growing chunks, up to a budget per request. A page that runs out
// of budget comes back short, with a cursor to continue and the date the search reached.
import { TransactionListQuery, type TransactionListQueryT, type TransactionT } from '../schemas/transactions.ts';
import { decodeCursor, encodeCursor, type Position } from './cursor.ts';
import { invalid, parse } from './errors.ts';
import { searchCondition } from './search.ts';
import { selectTransactions, toTransaction } from './transaction-row.ts';
import { join, type Fragment, type Tx } from './tx.ts';

export type TransactionPage = {
  items: TransactionT[];
  nextCursor: string | null;
  /** Set when the page is short because the search budget ran out: the date reached so far. */
  searchedBackTo?: string;
};

/** Rows examined per request at most when filters need scanning, and the chunk sizes to get there. */
export const SCAN_BUDGET = 50_000;
const CHUNKS = [1_000, 4_000, 15_000, 30_000];

type Query = ReturnType<typeof TransactionListQuery.parse>;

/** A decimal string as an exact integer of ten-thousand-millionths (Decimal has at most 10 places). */
const scaled = (d: string) => {
  const [int, frac = ''] = d.split('.');
  return BigInt(int + frac.padEnd(10, '0'));
};

export async function listTransactions(tx: Tx, input: TransactionListQueryT = {}, opts: { scanBudget?: number } = {}): Promise<TransactionPage> {
  const q = parse(TransactionListQuery, input);
  if (q.from && q.to && q.from > q.to) throw invalid('from is after to');
  if (q.minAmount && q.maxAmount && scaled(q.minAmount) > scaled(q.maxAmount)) throw invalid('minAmount is more than maxAmount');
  const indexed = indexedConditions(tx, q);
  const scanned = scannedConditions(tx, q);
  const after = q.cursor ? decodeCursor(q.cursor) : undefined;
  return scanned.length
    ? scanPages(tx, q.limit, indexed, join(tx, scanned, ' and '), after, opts.scanBudget ?? SCAN_BUDGET)
    : directPage(tx, q.limit, indexed, after);
}

function indexedConditions(tx: Tx, q: Query): Fragment[] {
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
  if (q.tags?.length) conds.push(tx`t.tags <> '{}'`); // the predicate of the index of tagged rows
  return conds;
}

function scannedConditions(tx: Tx, q: Query): Fragment[] {
  const conds: Fragment[] = [];
  // Tags keep the case they were typed in; a filter finds them whatever the case.
  if (q.tags?.length) {
    conds.push(tx`(select count(distinct lower(x)) from unnest(t.tags) x where lower(x) = any(${q.tags.map((t) => t.toLowerCase())}::text[])) = ${new Set(q.tags.map((t) => t.toLowerCase())).size}`);
  }
  if (q.minAmount !== undefined) conds.push(tx`t.amount >= ${q.minAmount}::numeric`);
  if (q.maxAmount !== undefined) conds.push(tx`t.amount <= ${q.maxAmount}::numeric`);
  if (q.excluded !== undefined) conds.push(tx`t.excluded = ${q.excluded}`);
  if (q.isTransfer !== undefined) conds.push(tx`t.is_transfer = ${q.isTransfer}`);
  if (q.q) conds.push(searchCondition(tx, q.q));
  return conds;
}

const keyset = (tx: Tx, p: Position) => tx`(t.date, t.id) < (${p.date}::date, ${p.id}::uuid)`;
const whereOf = (tx: Tx, conds: Fragment[]) => (conds.length ? join(tx, conds, ' and ') : tx`true`);

/** Every filter served by an index: one query, one row more than asked tells if there is more. */
async function directPage(tx: Tx, limit: number, indexed: Fragment[], after?: Position): Promise<TransactionPage> {
  const where = whereOf(tx, after ? [...indexed, keyset(tx, after)] : indexed);
  const rows = await selectTransactions(tx, tx`(select * from ledger.transactions t where ${where} order by t.date desc, t.id desc limit ${limit + 1})`);
  const items = rows.slice(0, limit).map(toTransaction);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(last) : null };
}

/** Scans newest first in chunks, keeping the rows that pass `filter`, until the page is full. */
async function scanPages(
  tx: Tx, limit: number, indexed: Fragment[], filter: Fragment, after: Position | undefined, scanBudget: number,
): Promise<TransactionPage> {
  const hits: string[] = [];
  let position = after;
  let budget = scanBudget;
  let exhausted = false;
  for (let i = 0; budget > 0 && hits.length <= limit; i++) {
    const chunk = Math.min(CHUNKS[Math.min(i, CHUNKS.length - 1)], budget);
    const where = whereOf(tx, position ? [...indexed, keyset(tx, position)] : indexed);
    // The filter is computed in the select list, after row-level security let the row through.
    const [r] = await tx<{ scanned: number; end_date: string | null; end_id: string | null; ids: string[] }>`
      with scanned as materialized (
        select t.date, t.id, coalesce((${filter}), false) as hit from ledger.transactions t
        where ${where} order by t.date desc, t.id desc limit ${chunk}
      ), last as (select date, id from scanned order by date, id limit 1)
      select (select count(*) from scanned)::int as scanned,
        (select to_char(date, 'YYYY-MM-DD') from last) as end_date, (select id from last) as end_id,
        coalesce((select array_agg(id order by date desc, id desc) from (
          select date, id from scanned where hit order by date desc, id desc limit ${limit + 1 - hits.length}) h), '{}') as ids`;
    hits.push(...r.ids);
    budget -= r.scanned;
    if (r.scanned < chunk || !r.end_date || !r.end_id) {
      exhausted = true;
      break;
    }
    position = { date: r.end_date, id: r.end_id };
  }
  const rows = hits.length
    ? await selectTransactions(tx, tx`(select * from ledger.transactions t where t.id = any(${hits.slice(0, limit + 1)}::uuid[]))`)
    : [];
  const items = rows.slice(0, limit).map(toTransaction);
  if (rows.length > limit) return { items, nextCursor: encodeCursor(items.at(-1)!) };
  if (exhausted || !position) return { items, nextCursor: null };
  // Out of budget: continue after the last row examined, even if it was not a match.
  return { items, nextCursor: encodeCursor(position), searchedBackTo: position.date };
}

// Reading the ledger's transactions as the rule engine sees them (granted read of
// ledger.transactions). Pages are keyset-ordered by id, so a scan of a million rows never holds
// more than one page in memory and never skips or repeats a row.
import type { PluginSql } from '../../../plugin-sdk/index.ts';
import type { RuleTxn } from '../engine/engine.ts';

export type Scope = { from?: string | null; to?: string | null };

const columns = (sql: PluginSql) => sql`t.id, t.account_id, t.date::text as date, t.amount::text as amount, t.payee,
  t.description, t.notes, t.category_id, t.category_source, t.provider_category_primary, t.provider_category_detailed,
  t.pending, t.tags, t.excluded, t.is_transfer`;

/** Each field's column, for scans that fetch only what the rules use (see fieldsUsed). */
const COLUMN: Record<keyof RuleTxn, (sql: PluginSql) => ReturnType<PluginSql>> = {
  id: (sql) => sql`t.id`,
  accountId: (sql) => sql`t.account_id`,
  date: (sql) => sql`t.date::text as date`,
  amount: (sql) => sql`t.amount::text as amount`,
  payee: (sql) => sql`t.payee`,
  description: (sql) => sql`t.description`,
  notes: (sql) => sql`t.notes`,
  categoryId: (sql) => sql`t.category_id`,
  categorySource: (sql) => sql`t.category_source`,
  pfcPrimary: (sql) => sql`t.provider_category_primary`,
  pfcDetailed: (sql) => sql`t.provider_category_detailed`,
  pending: (sql) => sql`t.pending`,
  tags: (sql) => sql`t.tags`,
  excluded: (sql) => sql`t.excluded`,
  isTransfer: (sql) => sql`t.is_transfer`,
};

function someColumns(sql: PluginSql, fields: Set<keyof RuleTxn>) {
  return (Object.keys(COLUMN) as (keyof RuleTxn)[]).filter((f) => fields.has(f)).map((f) => COLUMN[f](sql)).reduce((a, b) => sql`${a}, ${b}`);
}

export function toRuleTxn(r: Record<string, unknown>): RuleTxn {
  return {
    id: r.id as string,
    accountId: (r.account_id as string | undefined) ?? '',
    date: r.date as string,
    amount: (r.amount as string | undefined) ?? '0',
    payee: (r.payee as string | null) ?? null,
    description: (r.description as string | null) ?? null,
    notes: (r.notes as string | null) ?? null,
    categoryId: (r.category_id as string | null) ?? null,
    categorySource: (r.category_source as RuleTxn['categorySource']) ?? null,
    pfcPrimary: (r.provider_category_primary as string | null) ?? null,
    pfcDetailed: (r.provider_category_detailed as string | null) ?? null,
    pending: (r.pending as boolean | undefined) ?? false,
    tags: (r.tags as string[] | null) ?? [],
    excluded: (r.excluded as boolean | undefined) ?? false,
    isTransfer: (r.is_transfer as boolean | undefined) ?? false,
  };
}

const inScope = (sql: PluginSql, s: Scope) =>
  sql`${s.from ? sql`t.date >= ${s.from}::date` : sql`true`} and ${s.to ? sql`t.date <= ${s.to}::date` : sql`true`}`;

/** Where a scan stands: the last (date, id) read. */
export type Cursor = { date: string; id: string } | null;

/**
 * One page of transactions after `after` (null: from the start), in (date, id) order. That order
 * follows the ledger's by-date index, and transactions mostly arrive in date order, so a page is a
 * short index range over neighbouring heap pages (keyset by id alone would read the table at random).
 */
export async function readPage(sql: PluginSql, scope: Scope, after: Cursor, limit: number, fields?: Set<keyof RuleTxn>): Promise<RuleTxn[]> {
  // Only the columns the rules use (a field they never look at is never fetched nor parsed).
  const rows = await sql`select ${fields ? someColumns(sql, fields) : columns(sql)} from ledger.transactions t
    where ${after ? sql`(t.date, t.id) > (${after.date}::date, ${after.id}::uuid)` : sql`true`} and ${inScope(sql, scope)}
    order by t.date, t.id limit ${limit}`;
  return rows.map(toRuleTxn);
}

export async function countInScope(sql: PluginSql, scope: Scope): Promise<number> {
  const [row] = await sql`select count(*)::int as n from ledger.transactions t where ${inScope(sql, scope)}`;
  return row.n as number;
}

export async function readTransaction(sql: PluginSql, id: string): Promise<(RuleTxn & { currency: string; accountName: string }) | null> {
  const [row] = await sql`select ${columns(sql)}, t.currency, a.name as account_name
    from ledger.transactions t join ledger.accounts a on a.id = t.account_id where t.id = ${id}`;
  return row ? { ...toRuleTxn(row), currency: row.currency as string, accountName: row.account_name as string } : null;
}

/** The most recent transactions, for the test box and the "from a transaction" picker. */
export async function recentTransactions(sql: PluginSql, limit = 40): Promise<{ id: string; label: string }[]> {
  const rows = await sql`select t.id, t.date::text as date, t.amount::text as amount, t.currency,
      coalesce(t.payee, t.description, '(no payee)') as payee
    from ledger.transactions t order by t.date desc, t.id desc limit ${limit}`;
  return rows.map((r) => ({ id: r.id as string, label: `${r.date} · ${r.payee} · ${r.amount} ${r.currency}` }));
}

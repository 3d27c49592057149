// Drill-down: the transactions that make up a budget's figure for one period, counted by the same
// rules as the summary (counting.ts), from the transactions themselves, with the category each was
// counted under.
import type { PluginSql } from '../../plugin-sdk/index.ts';
import { budgetCategories, effective, providerMap, spendable } from './counting.ts';
import type { Budget } from './store.ts';

export type DrillRow = {
  id: string; date: string; payee: string | null; description: string | null; amount: string; pending: boolean;
  category: string | null; categorySource: string | null;
};

export async function periodTransactions(sql: PluginSql, budget: Budget, start: string, end: string): Promise<{ rows: DrillRow[]; total: string }> {
  const rows = await sql`
    with b as (select ${budget.id}::uuid as id, ${budget.categoryId}::uuid as category_id, ${budget.currency}::text as currency),
    span as (select ${start}::date as lo, ${end}::date as hi),
    ${budgetCategories(sql)},
    ${spendable(sql, sql`t`, 'transactions', sql`span`, sql`select currency from b`)},
    ${providerMap(sql, [sql`t`])},
    ${effective(sql, sql`e`, sql`t`)}
    select e.id, e.date::text as date, tr.payee, tr.description, e.amount::text as amount, e.pending,
      case when g.name is null then c.name else g.name || ' › ' || c.name end as category, tr.category_source,
      sum(-e.amount) over ()::text as total
    from e
    join bc on bc.category_id = e.category_id
    join ledger.transactions tr on tr.id = e.id
    left join ledger.categories c on c.id = e.category_id
    left join ledger.categories g on g.id = c.parent_id
    order by e.date desc, e.id`;
  return {
    total: (rows[0]?.total as string | undefined) ?? '0',
    rows: rows.map((r) => ({
      id: r.id as string, date: r.date as string, payee: (r.payee as string | null) ?? null, description: (r.description as string | null) ?? null,
      amount: r.amount as string, pending: r.pending as boolean, category: (r.category as string | null) ?? null,
      categorySource: (r.category_source as string | null) ?? null,
    })),
  };
}

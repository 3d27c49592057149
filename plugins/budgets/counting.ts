// What a budget counts, as SQL building blocks over the ledger's tables (granted reads):
//
// - Spending is outflows net of refunds: spent = -(sum of amounts), so a refund (a positive amount
//   in the same category) lowers it. Excluded transactions and transfers (is_transfer, or a category
//   of kind 'transfer') are not spending.
// - A transaction's category is the user's when they chose one (category_source 'user', even "none"),
//   else the rule's ('rule'), else the one its provider category maps to through ledger.category_pfc
//   by the longest matching code prefix (FOOD_AND_DRINK_COFFEE → a mapping for FOOD_AND_DRINK_COFFEE,
//   else FOOD_AND_DRINK), else whatever the ledger stored.
// - A budget on a group counts the group and every category in it.
// - Pending transactions count (the ledger turns a pending row into its posted one in place, so
//   nothing is counted twice); the pending part is reported separately.
// - Only transactions in the budget's currency count (there are no exchange rates here).
//
// The same rules read three tables with the same columns: ledger.transactions (each transaction,
// for the drill-down), ledger.day_totals and ledger.month_totals (sums per day and per month and
// "kind of money", kept by the ledger's triggers: what summaries add up).
import type { PluginSql, SqlQuery } from '../../plugin-sdk/index.ts';

export type Source = 'transactions' | 'day_totals' | 'month_totals';

/**
 * CTE `name` (materialized): the rows of `source` in [span.lo, span.hi] that can be spending, in the
 * given currencies, with the columns the counting rules need. `span` is a CTE with lo and hi.
 */
export function spendable(sql: PluginSql, name: SqlQuery, source: Source, span: SqlQuery, currencies: SqlQuery) {
  const table = source === 'transactions' ? sql`ledger.transactions` : source === 'day_totals' ? sql`ledger.day_totals` : sql`ledger.month_totals`;
  const date = source === 'month_totals' ? sql`t.month` : sql`t.date`;
  return sql`${name} as materialized (
    select ${source === 'transactions' ? sql`t.id` : sql`null::uuid as id`}, ${date} as date, t.amount, t.currency, t.pending,
      t.category_id, t.category_source, coalesce(t.provider_category_primary, '') as p1, coalesce(t.provider_category_detailed, '') as p2
    from ${table} t, ${span} span
    where ${date} between span.lo and span.hi and not t.excluded and not t.is_transfer and t.currency in (${currencies})
  )`;
}

/**
 * CTE `mapped`: each provider code pair found in the `rows` CTEs, mapped once to a category by the
 * longest matching code, as one jsonb object rows look their pair up in (no join whose size the
 * planner would have to guess).
 */
export function providerMap(sql: PluginSql, rows: SqlQuery[]) {
  const codes = rows.map((r) => sql`select p1, p2, category_source from ${r}`).reduce((a, b) => sql`${a} union all ${b}`);
  return sql`mapped as materialized (
    select coalesce(jsonb_object_agg(codes.p1 || '|' || codes.p2, (
      select m.category_id from ledger.category_pfc m
      where m.pfc_code in (codes.p1, codes.p2) or starts_with(codes.p2, m.pfc_code || '_') or starts_with(codes.p1, m.pfc_code || '_')
      order by length(m.pfc_code) desc, m.pfc_code limit 1)), '{}') as map
    from (select distinct p1, p2 from (${codes}) c
          where category_source is distinct from 'user' and category_source is distinct from 'rule' and (p1 <> '' or p2 <> '')) codes
  )`;
}

/** CTE `name`: the rows of CTE `rows` with their effective category (needs `mapped`). */
export function effective(sql: PluginSql, name: SqlQuery, rows: SqlQuery) {
  return sql`${name} as (
    select r.id, r.date, r.amount, r.currency, r.pending,
      case when r.category_source in ('user', 'rule') then r.category_id
           else coalesce(((select map from mapped) ->> (r.p1 || '|' || r.p2))::uuid, r.category_id) end as category_id
    from ${rows} r
  )`;
}

/** CTE `bc`: the categories each budget of CTE `b` counts: its own and a group's children, never transfers. */
export const budgetCategories = (sql: PluginSql) => sql`
  bc as (
    select b.id as budget_id, c.id as category_id
    from b join ledger.categories c on (c.id = b.category_id or c.parent_id = b.category_id) and c.kind <> 'transfer'
  )`;

/**
 * Totals written before the ledger kept them (ledger migrations 0004, 0005) are computed once per
 * household, the first time a summary finds transactions but no totals.
 */
export async function ensureTotals(sql: PluginSql): Promise<void> {
  const [r] = await sql`select exists (select from ledger.transactions)
    and (not exists (select from ledger.day_totals) or not exists (select from ledger.month_totals)) as missing`;
  if (r.missing) await sql`select ledger.rebuild_day_totals()`;
}

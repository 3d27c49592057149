// What a budget counts, in SQL over the ledger's tables (granted read of ledger.transactions,
// ledger.categories, ledger.category_pfc):
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
// All of a summary is one statement: every budget, every period asked for, and the rollover carried
// into each period (a window sum of what was left in the periods before it).
import type { PluginSql, SqlQuery } from '../../plugin-sdk/index.ts';

export type BudgetWindow = {
  id: string;
  categoryId: string;
  currency: string;
  amount: string;
  /** Months per period; 0 for a custom budget (one period). */
  step: number;
  /** First day of the budget's first period. */
  firstStart: string;
  rollover: boolean;
  /** Periods to compute, consecutive; from index 0 when rollover (every period carries into the next). */
  periods: { index: number; start: string; end: string }[];
};

export type PeriodSpending = {
  budgetId: string; index: number; start: string; end: string;
  spent: string; pending: string; carriedIn: string; available: string; remaining: string;
  overBudget: boolean; reached80: boolean; reached100: boolean;
};

/**
 * The CTEs `t` (money in [lo, hi] that can be spending, in the given currencies) and `e` (the same
 * with its effective category), to prefix a query with. `span` must be a CTE with lo, hi.
 * From ledger.day_totals (the ledger's per-day sums, kept by triggers): what a summary adds up, a few
 * rows per day whatever the number of transactions. From ledger.transactions: each transaction, for
 * the drill-down. Both carry the same columns, so both are counted by the same rules.
 */
export const effectiveTransactions = (sql: PluginSql, currencies: SqlQuery, source: 'day_totals' | 'transactions' = 'transactions') => sql`
  t as materialized (
    select ${source === 'transactions' ? sql`t.id` : sql`null::uuid as id`}, t.date, t.amount, t.currency, t.pending, t.category_id, t.category_source,
      coalesce(t.provider_category_primary, '') as p1, coalesce(t.provider_category_detailed, '') as p2
    from ${source === 'transactions' ? sql`ledger.transactions` : sql`ledger.day_totals`} t, span
    where t.date between span.lo and span.hi and not t.excluded and not t.is_transfer and t.currency in (${currencies})
  ),
  -- Each provider code pair seen maps to a category once (longest matching code first); rows then
  -- look their pair up in one jsonb object: no join whose size the planner would have to guess.
  mapped as materialized (
    select coalesce(jsonb_object_agg(codes.p1 || '|' || codes.p2, (
      select m.category_id from ledger.category_pfc m
      where m.pfc_code in (codes.p1, codes.p2) or starts_with(codes.p2, m.pfc_code || '_') or starts_with(codes.p1, m.pfc_code || '_')
      order by length(m.pfc_code) desc, m.pfc_code limit 1)), '{}') as map
    from (select distinct p1, p2 from t
          where t.category_source is distinct from 'user' and t.category_source is distinct from 'rule' and (p1 <> '' or p2 <> '')) codes
  ),
  e as materialized (
    select t.id, t.date, t.amount, t.currency, t.pending,
      case when t.category_source in ('user', 'rule') then t.category_id
           else coalesce(((select map from mapped) ->> (t.p1 || '|' || t.p2))::uuid, t.category_id) end as category_id
    from t
  )`;

/**
 * Totals written before the ledger kept them (ledger migration 0004) are computed once per
 * household, the first time a summary finds transactions but no totals.
 */
export async function ensureDayTotals(sql: PluginSql): Promise<void> {
  const [r] = await sql`select exists (select from ledger.transactions) and not exists (select from ledger.day_totals) as missing`;
  if (r.missing) await sql`select ledger.rebuild_day_totals()`;
}

/** The categories a budget counts: its own, and a group's children; never transfer categories. */
export const budgetCategories = (sql: PluginSql) => sql`
  bc as (
    select b.id as budget_id, c.id as category_id
    from b join ledger.categories c on (c.id = b.category_id or c.parent_id = b.category_id) and c.kind <> 'transfer'
  )`;

/**
 * The summary statement (exported so its plan can be inspected). Monthly, quarterly and annual
 * periods are whole months, so their spending is summed from per-month totals (a few rows per
 * category and month); only custom periods, which may start mid-month, sum days.
 */
export function spendingQuery(sql: PluginSql, windows: BudgetWindow[]) {
  const budgets = windows.map((w) => ({ id: w.id, category_id: w.categoryId, currency: w.currency, amount: w.amount, step: w.step, first_start: w.firstStart, rollover: w.rollover }));
  const periods = windows.flatMap((w) => w.periods.map((p) => ({ budget_id: w.id, idx: p.index, start_date: p.start, end_date: p.end })));
  return sql`
    with b as (
      select * from jsonb_to_recordset(${JSON.stringify(budgets)}::text::jsonb)
        as b(id uuid, category_id uuid, currency text, amount numeric, step int, first_start date, rollover boolean)
    ),
    p as (
      select * from jsonb_to_recordset(${JSON.stringify(periods)}::text::jsonb) as p(budget_id uuid, idx int, start_date date, end_date date)
    ),
    span as (select min(start_date) as lo, max(end_date) as hi from p),
    ${budgetCategories(sql)},
    ${effectiveTransactions(sql, sql`select currency from b`, 'day_totals')},
    months as (
      select date_trunc('month', e.date)::date as month, e.currency, e.category_id,
        sum(e.amount) as amount, sum(e.amount) filter (where e.pending) as pending_amount
      from e group by 1, 2, 3
    ),
    by_month as (
      select p.budget_id, p.idx, -sum(m.amount) as spent, -coalesce(sum(m.pending_amount), 0) as pending
      from months m
      join bc on bc.category_id = m.category_id
      join b on b.id = bc.budget_id and b.step > 0 and b.currency = m.currency
      join p on p.budget_id = b.id and p.idx = floor(((extract(year from m.month) - extract(year from b.first_start)) * 12
        + extract(month from m.month) - extract(month from b.first_start)) / b.step)::int
      where m.month between p.start_date and p.end_date
      group by p.budget_id, p.idx
    ),
    by_day as (
      select p.budget_id, p.idx, -sum(e.amount) as spent, -coalesce(sum(e.amount) filter (where e.pending), 0) as pending
      from b join p on p.budget_id = b.id and b.step = 0
      join bc on bc.budget_id = b.id
      join e on e.category_id = bc.category_id and e.currency = b.currency and e.date between p.start_date and p.end_date
      group by p.budget_id, p.idx
    ),
    s as (select * from by_month union all select * from by_day),
    r as (
      select p.budget_id, p.idx, p.start_date, p.end_date, b.amount, coalesce(s.spent, 0) as spent, coalesce(s.pending, 0) as pending,
        case when b.rollover then coalesce(sum(b.amount - coalesce(s.spent, 0)) over (
          partition by p.budget_id order by p.idx rows between unbounded preceding and 1 preceding), 0) else 0 end as carried_in
      from p join b on b.id = p.budget_id left join s on s.budget_id = p.budget_id and s.idx = p.idx
    )
    select budget_id, idx, start_date::text as start_date, end_date::text as end_date, spent::text as spent, pending::text as pending,
      carried_in::text as carried_in, (amount + carried_in)::text as available, (amount + carried_in - spent)::text as remaining,
      spent > amount + carried_in as over_budget,
      case when amount + carried_in > 0 then spent >= (amount + carried_in) * 0.8 else spent > 0 end as reached80,
      case when amount + carried_in > 0 then spent >= amount + carried_in else spent > 0 end as reached100
    from r order by budget_id, idx`;
}

export async function spending(sql: PluginSql, windows: BudgetWindow[]): Promise<PeriodSpending[]> {
  if (!windows.length) return [];
  await ensureDayTotals(sql);
  const rows = await spendingQuery(sql, windows);
  return rows.map((r) => ({
    budgetId: r.budget_id as string,
    index: r.idx as number,
    start: r.start_date as string,
    end: r.end_date as string,
    spent: r.spent as string,
    pending: r.pending as string,
    carriedIn: r.carried_in as string,
    available: r.available as string,
    remaining: r.remaining as string,
    overBudget: r.over_budget as boolean,
    reached80: r.reached80 as boolean,
    reached100: r.reached100 as boolean,
  }));
}

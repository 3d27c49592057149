// A budget summary's figures in one statement: every budget, every period asked for, and the
// rollover carried into each period (a window sum of what was left in the periods before it).
// What counts as spending is counting.ts.
import type { PluginSql } from '../../plugin-sdk/index.ts';
import { budgetCategories, effective, ensureTotals, providerMap, spendable } from './counting.ts';

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
 * The summary statement (exported so its plan can be inspected). Monthly, quarterly and annual
 * periods are whole months, so they add up monthly totals; only custom periods, which may start
 * mid-month, add up daily totals.
 */
export function spendingQuery(sql: PluginSql, windows: BudgetWindow[]) {
  const budgets = windows.map((w) => ({ id: w.id, category_id: w.categoryId, currency: w.currency, amount: w.amount, step: w.step, first_start: w.firstStart, rollover: w.rollover }));
  const periods = windows.flatMap((w) => w.periods.map((p) => ({ budget_id: w.id, idx: p.index, start_date: p.start, end_date: p.end })));
  const currencies = sql`select currency from b`;
  return sql`
    with b as (
      select * from jsonb_to_recordset(${JSON.stringify(budgets)}::text::jsonb)
        as b(id uuid, category_id uuid, currency text, amount numeric, step int, first_start date, rollover boolean)
    ),
    p as (
      select * from jsonb_to_recordset(${JSON.stringify(periods)}::text::jsonb) as p(budget_id uuid, idx int, start_date date, end_date date)
    ),
    month_span as (select min(p.start_date) as lo, max(p.end_date) as hi from p join b on b.id = p.budget_id where b.step > 0),
    day_span as (select min(p.start_date) as lo, max(p.end_date) as hi from p join b on b.id = p.budget_id where b.step = 0),
    ${budgetCategories(sql)},
    ${spendable(sql, sql`tm`, 'month_totals', sql`month_span`, currencies)},
    ${spendable(sql, sql`td`, 'day_totals', sql`day_span`, currencies)},
    ${providerMap(sql, [sql`tm`, sql`td`])},
    ${effective(sql, sql`em`, sql`tm`)},
    ${effective(sql, sql`ed`, sql`td`)},
    by_month as (
      select p.budget_id, p.idx, -sum(m.amount) as spent, -coalesce(sum(m.amount) filter (where m.pending), 0) as pending
      from em m
      join bc on bc.category_id = m.category_id
      join b on b.id = bc.budget_id and b.step > 0 and b.currency = m.currency
      join p on p.budget_id = b.id and p.idx = floor(((extract(year from m.date) - extract(year from b.first_start)) * 12
        + extract(month from m.date) - extract(month from b.first_start)) / b.step)::int
      where m.date between p.start_date and p.end_date
      group by p.budget_id, p.idx
    ),
    by_day as (
      select p.budget_id, p.idx, -sum(d.amount) as spent, -coalesce(sum(d.amount) filter (where d.pending), 0) as pending
      from b join p on p.budget_id = b.id and b.step = 0
      join bc on bc.budget_id = b.id
      join ed d on d.category_id = bc.category_id and d.currency = b.currency and d.date between p.start_date and p.end_date
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
  await ensureTotals(sql);
  // A short query on small tables: compiling it (JIT) would cost more than running it. The planner
  // cannot know how many rows the CTEs hold (it guesses one), so it would pair every monthly total
  // with every budget period in a nested loop (190,000 pairs for 20 budgets, 1M transactions); hash
  // joins take the summary from ~32 to ~12 ms there (bench/budgets.bench.ts).
  await sql`select set_config('jit', 'off', true), set_config('enable_nestloop', 'off', true)`;
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

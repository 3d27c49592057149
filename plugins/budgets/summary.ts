// A month's budget summary: for each budget, the period that month falls in (the month itself, its
// quarter, its year, or a custom span overlapping it), what was spent, what carried in, what is left,
// and the pace against the share of the period gone ("today" in the household's time zone).
// The figures come from one statement for all budgets (spending.ts).
import type { PluginContext, PluginSql } from '../../plugin-sdk/index.ts';
import { elapsedShare, label, periodAt, periodContaining, today, type Period, type PeriodSpec } from './periods.ts';
import { spending, type BudgetWindow, type PeriodSpending } from './spending.ts';
import { listBudgets, specOf, type Budget } from './store.ts';

export type PeriodView = { index: number; start: string; end: string; label: string };

export type SummaryItem = Omit<PeriodSpending, 'budgetId' | 'index' | 'start' | 'end' | 'reached80' | 'reached100'> & {
  budget: Budget;
  period: PeriodView;
  /** Null when nothing is available (available ≤ 0): no percentage of that means anything. */
  percent: number | null;
  elapsed: number;
  overPace: boolean;
  /** Thresholds whose alert was raised this period. */
  alerts: (80 | 100)[];
  reached: (80 | 100)[];
};

export type Summary = { month: string; today: string; items: SummaryItem[] };

const STEP: Record<Budget['periodType'], number> = { monthly: 1, quarterly: 3, annual: 12, custom: 0 };

export const monthOf = (d: Temporal.PlainDate) => d.toPlainYearMonth().toString();

/** The budget's period that `month` falls in; null if the budget has not started or a custom one does not overlap. */
export function periodForMonth(spec: PeriodSpec, month: Temporal.PlainYearMonth): Period | null {
  const first = month.toPlainDate({ day: 1 });
  if (spec.type === 'custom') {
    const p = periodAt(spec, 0);
    const last = month.toPlainDate({ day: month.daysInMonth });
    return Temporal.PlainDate.compare(p.start, last) <= 0 && Temporal.PlainDate.compare(p.end, first) >= 0 ? p : null;
  }
  const p = periodContaining(spec, first)!;
  return p.index >= 0 ? p : null;
}

export const viewOf = (spec: PeriodSpec, p: Period): PeriodView => ({ index: p.index, start: p.start.toString(), end: p.end.toString(), label: label(spec, p) });

/** The periods to compute for a budget up to `current`: `history` of them, or all from the first with rollover. */
export function windowFor(b: Budget, current: Period, history = 1): BudgetWindow {
  const spec = specOf(b);
  const from = b.rollover ? 0 : Math.max(0, current.index - history + 1);
  const periods = [];
  for (let i = from; i <= current.index; i++) {
    const p = periodAt(spec, i);
    periods.push({ index: i, start: p.start.toString(), end: p.end.toString() });
  }
  return {
    id: b.id, categoryId: b.categoryId, currency: b.currency, amount: b.amount, step: STEP[b.periodType],
    firstStart: periodAt(spec, 0).start.toString(), rollover: b.rollover, periods,
  };
}

async function raisedAlerts(sql: PluginSql, keys: { budgetId: string; start: string }[]): Promise<Map<string, (80 | 100)[]>> {
  const out = new Map<string, (80 | 100)[]>();
  if (!keys.length) return out;
  const rows = await sql`select a.budget_id, a.period_start::text as start, a.threshold from budget_alerts a
    join jsonb_to_recordset(${JSON.stringify(keys.map((k) => ({ budget_id: k.budgetId, start: k.start })))}::text::jsonb) as k(budget_id uuid, start date)
      on k.budget_id = a.budget_id and k.start = a.period_start
    order by a.threshold`;
  for (const r of rows) {
    const key = `${r.budget_id}/${r.start}`;
    out.set(key, [...(out.get(key) ?? []), r.threshold as 80 | 100]);
  }
  return out;
}

export async function summarize(ctx: PluginContext, month?: string, opts: { budgets?: Budget[] } = {}): Promise<Summary> {
  const now = today(ctx.household.timeZone);
  const ym = month ? Temporal.PlainYearMonth.from(month) : now.toPlainYearMonth();
  // One bound transaction for the few statements of a summary (one household binding, not four).
  const { current, rows, alerts } = await ctx.db.tx(async (sql) => {
    const budgets = opts.budgets ?? (await listBudgets(sql));
    const current = budgets.flatMap((b) => {
      const p = periodForMonth(specOf(b), ym);
      return p ? [{ budget: b, period: p }] : [];
    });
    const rows = await spending(sql, current.map((c) => windowFor(c.budget, c.period)));
    const alerts = await raisedAlerts(sql, current.map((c) => ({ budgetId: c.budget.id, start: c.period.start.toString() })));
    return { current, rows, alerts };
  });
  const byKey = new Map(rows.map((r) => [`${r.budgetId}/${r.index}`, r]));
  const items = current.map(({ budget, period }) => {
    const r = byKey.get(`${budget.id}/${period.index}`)!;
    const elapsed = elapsedShare(period, now);
    // Display-only ratios (the money itself stays exact, from SQL).
    const available = Number(r.available);
    const spent = Number(r.spent);
    const percent = available > 0 ? Math.round((spent / available) * 1000) / 10 : null;
    const { budgetId: _b, index: _i, start: _s, end: _e, reached80, reached100, ...money } = r;
    return {
      ...money,
      budget,
      period: viewOf(specOf(budget), period),
      percent,
      elapsed: Math.round(elapsed * 1000) / 1000,
      overPace: !r.overBudget && elapsed < 1 && spent > available * elapsed,
      alerts: alerts.get(`${budget.id}/${period.start}`) ?? [],
      reached: [...(reached80 ? [80 as const] : []), ...(reached100 ? [100 as const] : [])],
    };
  });
  return { month: ym.toString(), today: now.toString(), items };
}

/** A budget's last `count` periods up to the one `month` falls in (for its chart). */
export async function history(sql: PluginSql, budget: Budget, month: Temporal.PlainYearMonth, count = 12) {
  const spec = specOf(budget);
  const current = periodForMonth(spec, month) ?? (spec.type === 'custom' ? periodAt(spec, 0) : null);
  if (!current) return [];
  const rows = await spending(sql, [windowFor(budget, current, count)]);
  return rows.slice(-count).map((r) => ({ index: r.index, start: r.start, end: r.end, label: label(spec, periodAt(spec, r.index)), spent: r.spent, available: r.available }));
}

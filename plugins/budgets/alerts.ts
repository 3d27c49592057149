// Alerts: when a budget's spending reaches 80% and then 100% of what is available in its current
// period, the event `budgets.threshold-crossed` is emitted, once per budget, period and threshold
// (budget_alerts' primary key makes a second crossing a no-op). Checked when the ledger announces
// changed transactions, on a schedule (for edits that announce nothing), and after budget edits.
import type { PluginContext } from '../../plugin-sdk/index.ts';
import { summarize } from './summary.ts';

export type ThresholdCrossed = {
  budgetId: string; label: string; categoryId: string; threshold: 80 | 100;
  period: { start: string; end: string; label: string }; spent: string; available: string; currency: string;
};

export const ALERT_EVENT = 'budgets.threshold-crossed';

/** Records and emits the alerts the current periods call for. Returns the events emitted. */
export async function checkAlerts(ctx: PluginContext): Promise<ThresholdCrossed[]> {
  const { items } = await summarize(ctx);
  const emitted: ThresholdCrossed[] = [];
  for (const item of items) {
    for (const threshold of item.reached) {
      if (item.alerts.includes(threshold)) continue;
      const event: ThresholdCrossed = {
        budgetId: item.budget.id, label: item.budget.label, categoryId: item.budget.categoryId, threshold,
        period: { start: item.period.start, end: item.period.end, label: item.period.label },
        spent: item.spent, available: item.available, currency: item.budget.currency,
      };
      // Recorded and emitted together: if emitting fails the row rolls back and the next check retries.
      const fresh = await ctx.db.tx(async (sql) => {
        const rows = await sql`insert into budget_alerts (budget_id, period_start, period_end, threshold, spent, available)
          values (${item.budget.id}, ${item.period.start}::date, ${item.period.end}::date, ${threshold}, ${item.spent}::numeric, ${item.available}::numeric)
          on conflict do nothing returning budget_id`;
        if (rows.length) await ctx.events.emit(ALERT_EVENT, event);
        return rows.length > 0;
      });
      if (fresh) emitted.push(event);
    }
  }
  return emitted;
}

type AlertRow = Record<string, unknown>;

/** Alerts raised for current periods (today in the household's time zone), newest first: the API's list. */
export async function recentAlerts(ctx: PluginContext, limit = 10) {
  const rows = await ctx.db.sql`select a.budget_id, a.threshold, a.period_start::text as period_start, a.period_end::text as period_end,
      a.spent::text as spent, a.available::text as available, a.created_at, b.currency, coalesce(b.name, c.name, 'Deleted category') as label
    from budget_alerts a join budgets b on b.id = a.budget_id left join ledger.categories c on c.id = b.category_id
    where a.period_end >= (now() at time zone ${ctx.household.timeZone})::date
    order by a.created_at desc limit ${limit}`;
  return rows.map(alertOf);
}

/**
 * The alerts of the periods a month's page shows (each budget's period overlapping the month: budget
 * periods are month-aligned, or one custom span), the highest threshold only per budget and period
 * (100% implies 80%), newest first. Another month's alerts belong on that month's page.
 */
export async function monthAlerts(ctx: PluginContext, month: Temporal.PlainYearMonth, limit = 20) {
  const first = month.toPlainDate({ day: 1 }).toString();
  const last = month.toPlainDate({ day: month.daysInMonth }).toString();
  const rows = await ctx.db.sql`select * from (
      select distinct on (a.budget_id, a.period_start) a.budget_id, a.threshold, a.period_start::text as period_start,
        a.period_end::text as period_end, a.spent::text as spent, a.available::text as available, a.created_at, b.currency,
        coalesce(b.name, c.name, 'Deleted category') as label
      from budget_alerts a join budgets b on b.id = a.budget_id left join ledger.categories c on c.id = b.category_id
      where a.period_start <= ${last}::date and a.period_end >= ${first}::date
      order by a.budget_id, a.period_start, a.threshold desc) x
    order by created_at desc limit ${limit}`;
  return rows.map(alertOf);
}

function alertOf(r: AlertRow) {
  return {
    budgetId: r.budget_id as string, threshold: r.threshold as number, label: r.label as string, currency: r.currency as string,
    periodStart: r.period_start as string, periodEnd: r.period_end as string, spent: r.spent as string, available: r.available as string,
    at: (r.created_at instanceof Date ? r.created_at : new Date(String(r.created_at))).toISOString(),
  };
}

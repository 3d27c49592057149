// JSON API under /api/v1/budgets: CRUD, the summary of a month (one statement for all budgets, for
// automations to poll), a budget's history and the transactions behind a figure, recent alerts.
// Every route is household-scoped: another household's budget id is simply not found.
import { idempotent, z, type PluginApiRoute, type PluginContext } from '../../plugin-sdk/index.ts';
import { checkAlerts, recentAlerts } from './alerts.ts';
import { periodTransactions } from './drill.ts';
import { BudgetId, BudgetInput, BudgetOut, BudgetPatch, HistoryOut, Month, SummaryOut, SummaryQuery } from './schemas.ts';
import { createBudget, deleteBudget, getBudget, inputOf, listBudgets, refusingDuplicates, specOf, updateBudget } from './store.ts';
import { history, periodForMonth, summarize, viewOf } from './summary.ts';
import { today } from './periods.ts';

const MonthQuery = z.object({ month: Month.optional() }).strict();

/** Alerts are bookkeeping after a change: they never fail the change itself. */
const alertsAfterChange = (ctx: PluginContext) => checkAlerts(ctx).catch((err) => ctx.log.warn('alert check failed', { err: String(err) }));

const monthOrToday = (ctx: PluginContext, month?: string) => (month ? Temporal.PlainYearMonth.from(month) : today(ctx.household.timeZone).toPlainYearMonth());

export const api: PluginApiRoute[] = [
  {
    method: 'get',
    path: '/summary',
    summary: "A month's budgets: each budget's period containing that month, spent (pending included), carried in, available, remaining, pace and alerts",
    query: SummaryQuery,
    response: SummaryOut,
    handler: async ({ query, ctx }) => {
      const s = await summarize(ctx, query.month);
      return { ...s, items: s.items.map(({ reached: _r, ...item }) => item) };
    },
  },
  {
    method: 'get',
    path: '/alerts',
    summary: 'Alerts raised for current periods (80% and 100% of a budget), newest first',
    response: z.object({ alerts: z.array(z.object({ budgetId: z.uuid(), threshold: z.int(), label: z.string(), currency: z.string(), periodStart: z.string(), periodEnd: z.string(), spent: z.string(), available: z.string(), at: z.string() })) }),
    handler: async ({ ctx }) => ({ alerts: await recentAlerts(ctx, 100) }),
  },
  {
    method: 'get',
    path: '/',
    summary: "The household's budgets",
    response: z.object({ budgets: z.array(BudgetOut) }),
    handler: async ({ ctx }) => ({ budgets: await listBudgets(ctx.db.sql) }),
  },
  {
    method: 'post',
    path: '/',
    summary: 'Create a budget on an expense category or group. Monthly needs month and year, quarterly quarter and year, annual year, custom startDate before endDate. One budget per category, currency and period: 409 when one exists already (edit that one instead)',
    body: BudgetInput,
    response: BudgetOut,
    idempotent: true,
    handler: ({ body, ctx }) =>
      refusingDuplicates(ctx.db.sql, () =>
        idempotent(ctx, 'budgets.create', body, (sql) => createBudget(sql, body, ctx.household.baseCurrency), () => alertsAfterChange(ctx))),
  },
  {
    method: 'get',
    path: '/:id',
    summary: 'One budget',
    params: BudgetId,
    response: BudgetOut,
    handler: async ({ params, ctx }) => getBudget(ctx.db.sql, params.id),
  },
  {
    method: 'put',
    path: '/:id',
    summary: "Replace a budget (409 when another budget has the same category, currency and period)",
    params: BudgetId,
    body: BudgetInput,
    response: BudgetOut,
    handler: async ({ params, body, ctx }) => {
      const b = await refusingDuplicates(ctx.db.sql, () => updateBudget(ctx.db.sql, params.id, body));
      await alertsAfterChange(ctx);
      return b;
    },
  },
  {
    method: 'patch',
    path: '/:id',
    summary: 'Change some fields of a budget; the result is validated as a whole (409 when another budget has the same category, currency and period)',
    params: BudgetId,
    body: BudgetPatch,
    response: BudgetOut,
    handler: async ({ params, body, ctx }) => {
      const b = await refusingDuplicates(ctx.db.sql, () =>
        ctx.db.tx(async (sql) => updateBudget(sql, params.id, { ...inputOf(await getBudget(sql, params.id)), ...body })));
      await alertsAfterChange(ctx);
      return b;
    },
  },
  {
    method: 'delete',
    path: '/:id',
    summary: 'Delete a budget (and its alerts)',
    params: BudgetId,
    status: 204,
    handler: async ({ params, ctx }) => {
      await deleteBudget(ctx.db.sql, params.id);
    },
  },
  {
    method: 'get',
    path: '/:id/history',
    summary: "A budget's last 12 periods up to the one the month falls in: spent and available in each",
    params: BudgetId,
    query: MonthQuery,
    response: HistoryOut,
    handler: async ({ params, query, ctx }) => {
      const budget = await getBudget(ctx.db.sql, params.id);
      return { budget, periods: await ctx.db.tx((sql) => history(sql, budget, monthOrToday(ctx, query.month))) };
    },
  },
  {
    method: 'get',
    path: '/:id/transactions',
    summary: "The transactions behind a budget's figure for the period the month falls in",
    params: BudgetId,
    query: MonthQuery,
    response: z.object({
      period: z.object({ index: z.int(), start: z.string(), end: z.string(), label: z.string() }).nullable(),
      total: z.string(),
      transactions: z.array(z.object({ id: z.uuid(), date: z.string(), payee: z.string().nullable(), description: z.string().nullable(), amount: z.string(), pending: z.boolean(), category: z.string().nullable(), categorySource: z.string().nullable() })),
    }),
    handler: async ({ params, query, ctx }) => {
      const budget = await getBudget(ctx.db.sql, params.id);
      const spec = specOf(budget);
      const period = periodForMonth(spec, monthOrToday(ctx, query.month));
      if (!period) return { period: null, total: '0', transactions: [] };
      const { rows, total } = await periodTransactions(ctx.db.sql, budget, period.start.toString(), period.end.toString());
      return { period: viewOf(spec, period), total, transactions: rows };
    },
  },
];

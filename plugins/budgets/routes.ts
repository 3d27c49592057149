// The budgets pages: a month's budgets with period navigation, progress, pace, alerts and each
// budget's 12-period chart; a budget's page with its chart and the transactions behind its figure;
// the create/edit form. Everything works without JavaScript (links and form posts).
import type { Context } from 'hono';
import { canWrite, ctxOf, router, type PluginContext, type PluginEnv } from '../../plugin-sdk/index.ts';
import { checkAlerts, monthAlerts } from './alerts.ts';
import { historyChart } from './chart.ts';
import { periodTransactions } from './drill.ts';
import { formatAmount } from './money.ts';
import { cardOf } from './present.ts';
import { today } from './periods.ts';
import { BudgetInput, Month } from './schemas.ts';
import { createBudget, deleteBudget, DuplicateBudget, getBudget, refusingDuplicates, specOf, updateBudget, type Budget } from './store.ts';
import { history, periodForMonth, summarize, viewOf } from './summary.ts';

type C = Context<PluginEnv>;

const isHtmx = (req: Request) => req.headers.get('hx-request') === 'true';
const page = (c: C, html: string, title: string, status = 200) => c.html(html, status as 200, { 'x-mff-title': title });

// Viewers (read-only household role) are refused writes by the kernel; the pages hide them too (canWrite).
const readOnly = async (c: C, ctx: PluginContext) => page(c, await ctx.render('read-only', {}), 'Budgets', 403);

/** ?month=YYYY-MM, else the household's current month. */
function monthParam(c: C, ctx: PluginContext): Temporal.PlainYearMonth {
  const m = c.req.query('month');
  return m && Month.safeParse(m).success ? Temporal.PlainYearMonth.from(m) : today(ctx.household.timeZone).toPlainYearMonth();
}

const monthLabel = (ym: Temporal.PlainYearMonth) => ym.toPlainDate({ day: 1 }).toLocaleString('en', { month: 'long', year: 'numeric' });

function nav(ym: Temporal.PlainYearMonth, ctx: PluginContext) {
  const now = today(ctx.household.timeZone).toPlainYearMonth();
  return {
    month: ym.toString(),
    label: monthLabel(ym),
    prev: ym.subtract({ months: 1 }).toString(),
    prevLabel: monthLabel(ym.subtract({ months: 1 })),
    next: ym.add({ months: 1 }).toString(),
    nextLabel: monthLabel(ym.add({ months: 1 })),
    isCurrent: Temporal.PlainYearMonth.compare(ym, now) === 0,
  };
}

// ---- the form -------------------------------------------------------------------------------

type Values = Record<string, string>;
const EMPTY: Values = { categoryId: '', name: '', amount: '', currency: '', periodType: 'monthly', year: '', month: '', quarter: '', startDate: '', endDate: '' };

async function formValues(req: Request): Promise<Values> {
  const form = new URLSearchParams(await req.text());
  const v: Values = {};
  for (const k of Object.keys(EMPTY)) v[k] = (form.get(k) ?? '').trim();
  if (form.has('rollover')) v.rollover = 'on';
  return v;
}

const int = (s: string) => (s === '' ? null : /^\d+$/.test(s) ? Number(s) : (s as unknown as number));

/** The posted form as the API's input (empty fields left out, so the schema says what is missing). */
function inputFrom(v: Values, baseCurrency: string) {
  return {
    categoryId: v.categoryId,
    name: v.name || null,
    amount: v.amount,
    currency: v.currency || baseCurrency,
    periodType: v.periodType,
    ...(v.periodType !== 'custom' ? { year: int(v.year) } : {}),
    ...(v.periodType === 'monthly' ? { month: int(v.month) } : {}),
    ...(v.periodType === 'quarterly' ? { quarter: int(v.quarter) } : {}),
    ...(v.periodType === 'custom' ? { startDate: v.startDate || null, endDate: v.endDate || null } : {}),
    rollover: v.rollover === 'on',
  };
}

function valuesOf(b: Budget): Values {
  return {
    categoryId: b.categoryId, name: b.name ?? '', amount: b.amount, currency: b.currency, periodType: b.periodType,
    year: b.year?.toString() ?? '', month: b.month?.toString() ?? '', quarter: b.quarter?.toString() ?? '',
    startDate: b.startDate ?? '', endDate: b.endDate ?? '', ...(b.rollover ? { rollover: 'on' } : {}),
  };
}

async function categoryOptions(ctx: PluginContext) {
  const rows = await ctx.db.sql`select c.id, c.name, g.name as group_name, c.parent_id is null as is_group
    from ledger.categories c left join ledger.categories g on g.id = c.parent_id
    where c.kind = 'expense' and not c.hidden and not coalesce(g.hidden, false)
    order by coalesce(g.position, c.position), lower(coalesce(g.name, c.name)), c.parent_id nulls first, c.position, lower(c.name)`;
  return rows.map((r) => ({ id: r.id as string, label: r.is_group ? `${r.name} (whole group)` : `${r.group_name} › ${r.name}`, isGroup: r.is_group as boolean }));
}

/** The budget a refused save would have repeated, for the form's "edit that budget instead" link. */
type Duplicate = { id: string };

async function renderForm(ctx: PluginContext, title: string, action: string, values: Values, errors: Record<string, string> = {}, duplicate: Duplicate | null = null) {
  const now = today(ctx.household.timeZone);
  return ctx.render('form', {
    title, action, values: { ...EMPTY, year: String(now.year), month: String(now.month), ...values }, errors, duplicate, categories: await categoryOptions(ctx),
  });
}

async function saveForm(c: C, title: string, action: string, save: (input: unknown) => Promise<Budget>) {
  const ctx = ctxOf(c);
  const values = await formValues(c.req.raw);
  const input = inputFrom(values, ctx.household.baseCurrency);
  const parsed = BudgetInput.safeParse(input);
  let errors: Record<string, string> = {};
  if (!parsed.success) {
    // Every field's first problem, each shown at its field (and listed at the top).
    for (const i of parsed.error.issues) errors[String(i.path[0] ?? 'form')] ??= i.message;
  } else {
    try {
      const b = await refusingDuplicates(ctx.db.sql, () => save(parsed.data));
      await checkAlerts(ctx).catch((err) => ctx.log.warn('alert check failed', { err: String(err) }));
      return c.redirect(ctx.url(`/${b.id}`), 303);
    } catch (err) {
      if (err instanceof DuplicateBudget) {
        // Said at the period (what to change) with a link to the budget to edit instead.
        const duplicate = err.existing ? { id: err.existing.id } : null;
        return page(c, await renderForm(ctx, title, action, values, { period: `${DuplicateBudget.what(err.key, err.existing)}.` }, duplicate), title, 409);
      }
      const e = err as { status?: number; message: string };
      if (e.status !== 400 && e.status !== 404) throw err;
      errors = { categoryId: e.message.replace(/^body\.categoryId: /, '') };
    }
  }
  return page(c, await renderForm(ctx, title, action, values, errors), title, 422);
}

// ---- routes ---------------------------------------------------------------------------------

export const routes = router();

routes.get('/', async (c) => {
  const ctx = ctxOf(c);
  const ym = monthParam(c, ctx);
  const [summary, alerts] = await Promise.all([summarize(ctx, ym.toString()), monthAlerts(ctx, ym)]);
  return page(c, await ctx.render('index', {
    nav: nav(ym, ctx), items: summary.items.map(cardOf), canWrite: canWrite(ctx),
    alerts: alerts.map((a) => ({ ...a, spentFmt: formatAmount(a.spent), availableFmt: formatAmount(a.available) })),
  }), 'Budgets');
});

routes.get('/new', async (c) => {
  const ctx = ctxOf(c);
  if (!canWrite(ctx)) return readOnly(c, ctx);
  const preset = c.req.query('categoryId');
  return page(c, await renderForm(ctx, 'New budget', ctx.url('/new'), preset ? { categoryId: preset } : {}), 'New budget');
});

routes.post('/new', (c) => {
  const ctx = ctxOf(c);
  return saveForm(c, 'New budget', ctx.url('/new'), (input) => createBudget(ctx.db.sql, input, ctx.household.baseCurrency));
});

routes.get('/:id/edit', async (c) => {
  const ctx = ctxOf(c);
  const b = await getBudget(ctx.db.sql, c.req.param('id'));
  if (!canWrite(ctx)) return readOnly(c, ctx);
  return page(c, await renderForm(ctx, `Edit budget: ${b.label}`, ctx.url(`/${b.id}/edit`), valuesOf(b)), 'Edit budget');
});

routes.post('/:id/edit', async (c) => {
  const ctx = ctxOf(c);
  const b = await getBudget(ctx.db.sql, c.req.param('id'));
  return saveForm(c, `Edit budget: ${b.label}`, ctx.url(`/${b.id}/edit`), (input) => updateBudget(ctx.db.sql, b.id, input));
});

routes.post('/:id/delete', async (c) => {
  const ctx = ctxOf(c);
  await deleteBudget(ctx.db.sql, c.req.param('id'));
  if (isHtmx(c.req.raw)) return c.body(null, 200, { 'hx-redirect': ctx.url('/') });
  return c.redirect(ctx.url('/'), 303);
});

routes.get('/:id/history.svg', async (c) => {
  const ctx = ctxOf(c);
  const b = await getBudget(ctx.db.sql, c.req.param('id'));
  const periods = await ctx.db.tx((sql) => history(sql, b, monthParam(c, ctx)));
  const svg = historyChart(periods, { title: `${b.label}: the last ${periods.length} periods`, currency: b.currency });
  return c.body(svg, 200, { 'content-type': 'image/svg+xml; charset=utf-8', 'cache-control': 'private, max-age=60' });
});

routes.get('/:id', async (c) => {
  const ctx = ctxOf(c);
  const b = await getBudget(ctx.db.sql, c.req.param('id'));
  const ym = monthParam(c, ctx);
  const spec = specOf(b);
  const period = periodForMonth(spec, ym);
  const [summary, periods, drill] = await Promise.all([
    summarize(ctx, ym.toString(), { budgets: [b] }),
    ctx.db.tx((sql) => history(sql, b, ym)),
    period ? periodTransactions(ctx.db.sql, b, period.start.toString(), period.end.toString()) : Promise.resolve({ rows: [], total: '0' }),
  ]);
  const item = summary.items[0] ?? null;
  const chart = historyChart(periods, { title: `${b.label}: the last ${periods.length} periods`, currency: b.currency, width: 640, height: 180 });
  return page(c, await ctx.render('budget', {
    budget: b,
    nav: nav(ym, ctx),
    period: period ? viewOf(spec, period) : null,
    item: item && cardOf(item),
    canWrite: canWrite(ctx),
    chart,
    history: periods.map((p) => ({ ...p, spentFmt: formatAmount(p.spent), availableFmt: formatAmount(p.available) })),
    transactions: drill.rows.map((r) => ({ ...r, amountFmt: formatAmount(r.amount) })),
    total: formatAmount(drill.total),
  }), b.label);
});


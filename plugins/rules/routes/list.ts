// The rules page: rules by stage with move up/down (a form per row; htmx swaps the list in place),
// enable/disable and delete, the test box, and the latest apply-to-existing runs.
import { canWrite, ctxOf, localTime, type PluginApp, type PluginContext } from '../../../plugin-sdk/index.ts';
import { linearRegex } from '../engine/linear-regex.ts';
import { describeAction, describeCondition, displayValue, fieldLabel } from '../form/describe.ts';
import { loadNames } from '../ledger/names.ts';
import { recentTransactions } from '../ledger/transactions.ts';
import { recentRuns } from '../run/apply-existing.ts';
import { missingCategories } from '../run/rule-set.ts';
import { tryTransaction, type TryResult, type TrySample } from '../run/try-transaction.ts';
import { moveRule } from '../store/order.ts';
import { deleteRule, listRules, setEnabled, STAGES } from '../store/rules.ts';
import { done, isHtmx, page, readForm } from './http.ts';

const STAGE_TITLES = { pre: 'Pre', default: 'Default', post: 'Post' } as const;
const STAGE_HINTS = {
  pre: 'Run first: clean up payees and notes so later rules match on tidy text.',
  default: 'Categorize.',
  post: 'Run last: tag, exclude or mark transfers using the category already chosen.',
} as const;

async function listData(ctx: PluginContext) {
  const { sql } = ctx.db;
  const [rules, names] = await Promise.all([listRules(sql), loadNames(sql)]);
  const missing = await missingCategories(sql, rules);
  const stages = STAGES.map((stage) => ({
    stage,
    title: STAGE_TITLES[stage],
    hint: STAGE_HINTS[stage],
    rules: rules.filter((r) => r.stage === stage).map((r) => ({
      ...r,
      conditionText: r.conditions.map((c) => describeCondition(c as never, names)),
      actionText: r.actions.map((a) => describeAction(a, names)),
      broken: r.actions.some((a) => a.type === 'set_category' && missing.has(a.categoryId)),
      lastFired: r.lastFiredAt ? localTime(r.lastFiredAt, ctx.household.timeZone) : null,
      unusable: r.conditions.some((c) => c.op === 'matches' && typeof linearRegex(String(c.value), c.caseSensitive === true) === 'string'),
    })),
  }));
  // Viewers read: no controls they could not use.
  return { stages, count: rules.length, canWrite: canWrite(ctx) };
}

type TryBox = { transactions: { id: string; label: string }[]; values: Record<string, string>; result: TryResultView | null; error: string | null };
type TryResultView = { fired: TryResult['fired']; changes: { label: string; before: string; after: string }[] };

async function tryBox(ctx: PluginContext, values: Record<string, string> = {}, result: TryResult | null = null, error: string | null = null): Promise<TryBox> {
  const { sql } = ctx.db;
  const transactions = await recentTransactions(sql);
  let view: TryResultView | null = null;
  if (result) {
    const names = await loadNames(sql);
    view = {
      fired: result.fired,
      changes: result.changes.map((ch) => ({ label: fieldLabel(ch.field), before: displayValue(ch.field, ch.before, names), after: displayValue(ch.field, ch.after, names) })),
    };
  }
  return { transactions, values, result: view, error };
}

async function indexPage(ctx: PluginContext, tryData?: TryBox): Promise<string> {
  const [list, runs, box] = await Promise.all([listData(ctx), recentRuns(ctx.db.sql), tryData ?? tryBox(ctx)]);
  const tz = ctx.household.timeZone;
  return ctx.render('index', { ...list, runs: runs.map((r) => ({ ...r, created: localTime(r.createdAt, tz) })), try: box });
}

/** Reads the test box's form: a transaction picked from the list, or a sample typed in. */
function tryInput(form: URLSearchParams): { input: { transactionId: string } | { sample: TrySample } | null; error: string | null } {
  const id = form.get('transactionId') ?? '';
  if (id) return { input: { transactionId: id }, error: null };
  const amount = (form.get('amount') ?? '').trim();
  const date = (form.get('date') ?? '').trim() || new Date().toISOString().slice(0, 10);
  if (!/^-?\d{1,18}(\.\d{1,10})?$/.test(amount)) return { input: null, error: 'Pick a transaction, or type a sample with an amount such as -12.50' };
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return { input: null, error: 'The date must be YYYY-MM-DD' };
  const text = (k: string) => (form.get(k) ?? '').trim() || null;
  return { input: { sample: { payee: text('payee'), description: text('description'), amount, date } }, error: null };
}

export function listRoutes(app: PluginApp): void {
  app.get('/', async (c) => page(c, await indexPage(ctxOf(c)), 'Rules'));

  app.post('/:id/move', async (c) => {
    const ctx = ctxOf(c);
    const form = await readForm(c.req.raw);
    const direction = form.get('direction') === 'up' ? 'up' : 'down';
    await moveRule(ctx.db, c.req.param('id'), direction);
    if (isHtmx(c.req.raw)) return c.html(await ctx.render('list', await listData(ctx)));
    return c.redirect(ctx.url('/'), 303);
  });

  app.post('/:id/toggle', async (c) => {
    const ctx = ctxOf(c);
    const form = await readForm(c.req.raw);
    await setEnabled(ctx.db.sql, c.req.param('id'), form.get('enabled') === 'true');
    if (isHtmx(c.req.raw)) return c.html(await ctx.render('list', await listData(ctx)));
    return c.redirect(ctx.url('/'), 303);
  });

  app.post('/:id/delete', async (c) => {
    const ctx = ctxOf(c);
    await deleteRule(ctx.db.sql, c.req.param('id'));
    if (isHtmx(c.req.raw)) return c.html(await ctx.render('list', await listData(ctx)));
    return done(c, ctx.url('/'));
  });

  // The test box writes nothing, so it is a GET: viewers may use it too (the kernel refuses their posts).
  app.on(['GET', 'POST'], '/try', async (c) => {
    const ctx = ctxOf(c);
    const form = c.req.method === 'GET' ? new URL(c.req.url).searchParams : await readForm(c.req.raw);
    const values = Object.fromEntries(form);
    const { input, error } = tryInput(form);
    const result = input ? await tryTransaction(ctx.db.sql, input) : null;
    const box = await tryBox(ctx, values, result, error);
    if (isHtmx(c.req.raw)) return c.html(await ctx.render('try', { try: box }));
    return page(c, await indexPage(ctx, box), 'Rules', error ? 422 : 200);
  });
}

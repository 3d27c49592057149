// The transactions page: search and filters, keyset pages that "Load more" in place (htmx swaps
// the button row for the next rows; without JS it is a link to the next page), inline category
// edit, bulk category/tags, and adding, editing and deleting manual transactions.
import type { Context } from 'hono';
import type { PluginApp, PluginContext, PluginEnv } from '../../../plugin-sdk/index.ts';
import { ctxOf } from '../../../plugin-sdk/index.ts';
import { emitTransactionsChanged } from '../events.ts';
import type { TransactionListQueryT } from '../schemas/transactions.ts';
import * as ledger from '../service/index.ts';
// Rules run on what the user enters or edits, in the same transaction (rules-hook.ts).
import { createTransactionWithRules, updateTransactionWithRules } from '../rules-hook.ts';
import { amountFromForm } from './amount-input.ts';
import { transactionsCsv } from './export.ts';
import { attempt, backTo, done, given, isHtmx, page, readForm } from './http.ts';
import { categoryGroups, canWrite, txTable } from './view-data.ts';

const FILTERS = ['q', 'from', 'to', 'accountId', 'categoryId', 'minAmount', 'maxAmount', 'tags', 'pending', 'uncategorized'] as const;
const EMPTY_ALL = 'No transactions yet. Add one by hand, import a statement, or connect a bank.';
const EMPTY_FILTERED = 'No transactions match these filters. Try a wider date range or clear the filters.';

/** The page's query string, kept to the filters that are set (they are echoed into links). */
export function filtersOf(url: URL): URLSearchParams {
  const out = new URLSearchParams();
  for (const k of FILTERS) {
    const raw = given(url.searchParams.get(k));
    const v = raw !== undefined && (k === 'minAmount' || k === 'maxAmount') ? amountFromForm(raw) : raw;
    if (v !== undefined && !(k === 'uncategorized' && v !== 'true')) out.set(k, v);
  }
  return out;
}

const queryOf = (f: URLSearchParams, cursor?: string): TransactionListQueryT => ({
  ...Object.fromEntries(f),
  ...(cursor ? { cursor } : {}),
  limit: 50,
}) as TransactionListQueryT;

const listData = (ctx: PluginContext, query: TransactionListQueryT) => ctx.db.tx(async (tx) => ({
  result: await attempt(() => ledger.listTransactions(tx, query)),
  categories: categoryGroups(await ledger.listCategories(tx)),
  accounts: await ledger.listAccounts(tx, { includeClosed: true }),
}));

function tagsOf(text: string | null): string[] {
  return (text ?? '').split(',').map((t) => t.trim()).filter(Boolean);
}

/** A transaction form's fields, as the service takes them (source-owned ones only when manual). */
function txFields(f: URLSearchParams, manual: boolean) {
  const fields: Record<string, unknown> = {
    categoryId: given(f.get('categoryId')) ?? null,
    notes: f.get('notes') ?? null,
    tags: tagsOf(f.get('tags')),
  };
  if (manual) Object.assign(fields, {
    date: f.get('date') ?? '', amount: amountFromForm(f.get('amount')), payee: f.get('payee') ?? null,
    description: f.get('description') ?? null, pending: f.get('pending') === 'true',
  });
  return fields;
}

/** The edit page; after a refused save, the form shows what the user typed (`typed`), not the saved row. */
async function editPage(ctx: PluginContext, id: string, error?: string, typed?: Record<string, unknown>) {
  const { txn, categories } = await ctx.db.tx(async (tx) => ({
    txn: await ledger.getTransaction(tx, id), categories: categoryGroups(await ledger.listCategories(tx)),
  }));
  return ctx.render('tx-edit', { txn, form: typed ? { ...txn, ...typed } : txn, categories, error, canWrite: canWrite(ctx) });
}

/** The list (or, for "Load more", its next rows); `failed` re-shows the add form with its message. */
async function listPage(
  c: Context<PluginEnv>, ctx: PluginContext, f: URLSearchParams, cursor: string | undefined, rowsOnly: boolean,
  failed?: { error: string; values: Record<string, string> }, bulkError?: string,
) {
  const { result, categories, accounts } = await listData(ctx, queryOf(f, cursor));
  const pageData = result.ok ? result.value : { items: [], nextCursor: null };
  const table = txTable(ctx, pageData, categories, f, f.size ? EMPTY_FILTERED : EMPTY_ALL);
  if (rowsOnly) return c.html(await ctx.render('tx-rows', table));
  const html = await ctx.render('transactions', {
    table, accounts, f: Object.fromEntries(f), error: result.ok ? undefined : result.error, canWrite: canWrite(ctx),
    addError: failed?.error, addValues: failed?.values ?? { accountId: f.get('accountId') ?? undefined },
    bulkError, bulkNotice: bulkNotice(new URL(c.req.url).searchParams.get('bulk')),
  });
  return page(c, html, 'Transactions', failed || bulkError ? 422 : result.ok ? 200 : 400);
}

/** What the last bulk action did, from the `bulk` the bulk route redirected with. */
function bulkNotice(outcome: string | null): string | undefined {
  if (outcome === 'none') return 'Select at least one transaction first, then apply.';
  if (outcome !== null && /^\d{1,6}$/.test(outcome)) return outcome === '1' ? 'Updated 1 transaction.' : `Updated ${outcome} transactions.`;
  return undefined;
}

export function transactionRoutes(routes: PluginApp): void {
  routes.get('/transactions.csv', async (c) => {
    const ctx = ctxOf(c);
    const csv = await transactionsCsv(ctx, filtersOf(new URL(c.req.url)));
    const name = `transactions-${ctx.household.name.replace(/[^\w-]+/g, '-').replace(/^-+|-+$/g, '').toLowerCase() || 'export'}.csv`;
    return new Response(csv, { headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${name}"` } });
  });

  routes.get('/transactions', async (c) => {
    const ctx = ctxOf(c);
    const url = new URL(c.req.url);
    const cursor = given(url.searchParams.get('cursor'));
    // "Load more" asks for the next rows only: they replace the button's row.
    const rowsOnly = Boolean(cursor) && isHtmx(c.req.raw);
    return listPage(c, ctx, filtersOf(url), cursor, rowsOnly);
  });

  routes.post('/transactions', async (c) => {
    const ctx = ctxOf(c);
    const form = await readForm(c.req.raw);
    const input = { accountId: form.get('accountId') ?? '', ...txFields(form, true) };
    const r = await attempt(() => ctx.db.tx((tx) => createTransactionWithRules(ctx, tx, input as never)));
    if (!r.ok) return listPage(c, ctx, new URLSearchParams(), undefined, false, { error: r.error, values: Object.fromEntries(form) });
    await emitTransactionsChanged(ctx, 'manual', { inserted: [r.value.id], updated: [], removed: [] });
    // Back to the page the form was on: the transactions list, or else the account's page.
    return done(c, backTo(ctx.plugin.base, form.get('back'), ctx.url(`/accounts/${r.value.accountId}`)));
  });

  routes.post('/transactions/bulk', async (c) => {
    const ctx = ctxOf(c);
    const form = await readForm(c.req.raw);
    const ids = form.getAll('ids');
    const back = backTo(ctx.plugin.base, form.get('back'), ctx.url('/transactions'));
    // The list says what happened (bulk=<how many changed>, or none were selected).
    const withOutcome = (outcome: string) => {
      const to = new URL(back, 'http://ledger.invalid');
      to.searchParams.set('bulk', outcome);
      return to.pathname + to.search;
    };
    if (!ids.length) return done(c, withOutcome('none'));
    const category = given(form.get('categoryId'));
    const input = { ids, addTags: tagsOf(form.get('addTags')), removeTags: tagsOf(form.get('removeTags')), ...(category ? { categoryId: category === 'none' ? null : category } : {}) };
    const r = await attempt(() => ctx.db.tx((tx) => ledger.bulkUpdateTransactions(tx, input)));
    if (!r.ok) return listPage(c, ctx, new URLSearchParams(), undefined, false, undefined, r.error);
    await emitTransactionsChanged(ctx, 'manual', { inserted: [], updated: r.value, removed: [] });
    return done(c, withOutcome(String(r.value.length)));
  });

  routes.get('/transactions/:id', async (c) => page(c, await editPage(ctxOf(c), c.req.param('id')), 'Transaction'));

  routes.post('/transactions/:id', async (c) => {
    const ctx = ctxOf(c);
    const id = c.req.param('id');
    const form = await readForm(c.req.raw);
    const current = await ctx.db.tx((tx) => ledger.getTransaction(tx, id));
    const fields = txFields(form, current.source === 'manual');
    const r = await attempt(() => ctx.db.tx((tx) => updateTransactionWithRules(ctx, tx, id, fields as never)));
    if (!r.ok) return page(c, await editPage(ctx, id, r.error, fields), 'Transaction', 422);
    await emitTransactionsChanged(ctx, r.value.source, { inserted: [], updated: [id], removed: [] });
    return done(c, ctx.url(`/transactions/${id}`));
  });

  // Inline category edit: the row's category link asks for a select (loaded on demand, so a page of
  // rows does not carry every category 50 times); the select posts here and the row swaps itself;
  // Escape asks for the link back (?cancel=1).
  routes.get('/transactions/:id/category', async (c) => {
    const ctx = ctxOf(c);
    const id = c.req.param('id');
    if (!isHtmx(c.req.raw)) return c.redirect(ctx.url(`/transactions/${id}`), 303);
    // Escape in the select: the link again, as it was.
    if (c.req.query('cancel')) {
      const t = await ctx.db.tx((tx) => ledger.getTransaction(tx, id));
      return c.html(await ctx.render('tx-category-link', { ctx, t, focus: true }));
    }
    const { t, categories } = await ctx.db.tx(async (tx) => ({
      t: await ledger.getTransaction(tx, id), categories: categoryGroups(await ledger.listCategories(tx)),
    }));
    return c.html(await ctx.render('tx-category', { ctx, t, categories }));
  });

  // Inline category edit: the row's select posts here and the row swaps itself.
  routes.post('/transactions/:id/category', async (c) => {
    const ctx = ctxOf(c);
    const id = c.req.param('id');
    const form = await readForm(c.req.raw);
    const { t, categories } = await ctx.db.tx(async (tx) => ({
      t: await updateTransactionWithRules(ctx, tx, id, { categoryId: given(form.get('categoryId')) ?? null }),
      categories: categoryGroups(await ledger.listCategories(tx)),
    }));
    await emitTransactionsChanged(ctx, t.source, { inserted: [], updated: [id], removed: [] });
    if (!isHtmx(c.req.raw)) return done(c, ctx.url(`/transactions/${id}`));
    return c.html(await ctx.render('tx-row', { ctx, t, categories, canWrite: true }));
  });

  routes.post('/transactions/:id/delete', async (c) => {
    const ctx = ctxOf(c);
    const id = c.req.param('id');
    const t = await ctx.db.tx(async (tx) => {
      const found = await ledger.getTransaction(tx, id);
      await ledger.deleteTransaction(tx, id);
      return found;
    });
    await emitTransactionsChanged(ctx, 'manual', { inserted: [], updated: [], removed: [id] });
    return done(c, ctx.url(`/accounts/${t.accountId}`));
  });
}

// Accounts pages: the list grouped by type with net worth, one account with its transactions,
// and the forms to add, edit and delete manual accounts.
import type { PluginApp, PluginContext } from '../../../plugin-sdk/index.ts';
import { ctxOf, slot } from '../../../plugin-sdk/index.ts';
import { emitTransactionsChanged } from '../events.ts';
import type { AccountT } from '../schemas/accounts.ts';
import * as ledger from '../service/index.ts';
import { amountFromForm } from './amount-input.ts';
import { attempt, done, given, page, readForm } from './http.ts';
import { accountGroups, accountTypes, categoryGroups, canWrite, TYPE_LABELS, txTable } from './view-data.ts';

async function accountsPage(ctx: PluginContext, values: Record<string, string> = {}, error?: string, includeClosed = false) {
  const { accounts, net } = await ctx.db.tx(async (tx) => ({ accounts: await ledger.listAccounts(tx, { includeClosed }), net: await ledger.netWorth(tx) }));
  return ctx.render('accounts', { groups: accountGroups(accounts), net, values, error, includeClosed, types: accountTypes, canWrite: canWrite(ctx) });
}

/** The account page; after a refused save, its form shows what the user typed (`typed`). */
async function accountPage(ctx: PluginContext, id: string, error?: string, typed?: Record<string, unknown>) {
  const filters = new URLSearchParams({ accountId: id });
  const data = await ctx.db.tx(async (tx) => ({
    account: await ledger.getAccount(tx, id),
    page: await ledger.listTransactions(tx, { accountId: [id], limit: 50 }),
    categories: categoryGroups(await ledger.listCategories(tx)),
  }));
  const table = txTable(ctx, data.page, data.categories, filters, 'No transactions in this account yet. Add one below or import a statement.');
  // Other plugins' tabs for this account (e.g. its holdings, its goals): placeholders the kernel fills.
  return ctx.render('account', { tabs: slot('account.tab', { accountId: id }), account: data.account, form: typed ? { ...data.account, ...typed } : data.account, typeLabel: TYPE_LABELS[data.account.type], table, error, types: accountTypes, canWrite: canWrite(ctx) });
}

const accountFields = (f: URLSearchParams, isNew: boolean) => ({
  name: f.get('name') ?? '',
  type: f.get('type') ?? '',
  institution: given(f.get('institution')) ?? null,
  ...(given(f.get('balance')) !== undefined ? { balance: amountFromForm(f.get('balance')) } : {}),
  ...(isNew ? { currency: (given(f.get('currency')) ?? '').toUpperCase() } : { closed: f.get('closed') === 'true' }),
});

export function accountRoutes(routes: PluginApp): void {
  routes.get('/', async (c) => page(c, await accountsPage(ctxOf(c), {}, undefined, c.req.query('closed') === 'true'), 'Accounts'));
  // The list lives at the plugin's root; /accounts is where people look for it (and what they type).
  routes.get('/accounts', (c) => c.redirect(ctxOf(c).url(`/${new URL(c.req.url).search}`)));

  routes.post('/accounts', async (c) => {
    const ctx = ctxOf(c);
    const form = await readForm(c.req.raw);
    const r = await attempt(() => ctx.db.tx((tx) => ledger.createAccount(tx, accountFields(form, true) as never)));
    if (!r.ok) return page(c, await accountsPage(ctx, Object.fromEntries(form), r.error), 'Accounts', 422);
    return done(c, ctx.url(`/accounts/${r.value.id}`));
  });

  routes.get('/accounts/:id', async (c) => {
    const ctx = ctxOf(c);
    const html = await accountPage(ctx, c.req.param('id'));
    return page(c, html, 'Account');
  });

  routes.post('/accounts/:id', async (c) => {
    const ctx = ctxOf(c);
    const id = c.req.param('id');
    const form = await readForm(c.req.raw);
    const current = await ctx.db.tx((tx) => ledger.getAccount(tx, id));
    const fields = accountFields(form, false);
    if (current.source !== 'manual') delete (fields as { balance?: string }).balance;
    const r = await attempt(() => ctx.db.tx((tx) => ledger.updateAccount(tx, id, fields as never)));
    if (!r.ok) return page(c, await accountPage(ctx, id, r.error, fields), 'Account', 422);
    return done(c, ctx.url(`/accounts/${id}`));
  });

  routes.post('/accounts/:id/delete', async (c) => {
    const ctx = ctxOf(c);
    const { transactionIds } = await ctx.db.tx((tx) => ledger.deleteAccount(tx, c.req.param('id')));
    await emitTransactionsChanged(ctx, 'manual', { inserted: [], updated: [], removed: transactionIds });
    return done(c, ctx.url('/'));
  });
}

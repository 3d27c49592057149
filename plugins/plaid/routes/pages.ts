// The connections page (/p/plaid/): setup when Plaid is not configured yet, then one card per
// connected bank with its accounts, status in plain words, last sync and progress (the card polls
// itself with htmx while a sync runs), and an item's detail page with holdings and liabilities.
import { ctxOf, notFound, router, type PluginContext } from '../../../plugin-sdk/index.ts';
import { NotConfigured, SETTINGS_PATH, plaidConfig, readSettings } from '../config.ts';
import { getItem } from '../store/items.ts';
import { formatMoney, itemViews } from './view-model.ts';

export const pageRoutes = router();

// What the page says about the instance's Plaid account (never its keys).
async function setupState(ctx: PluginContext) {
  const settings = await readSettings(ctx);
  const base = { settingsPath: SETTINGS_PATH, environment: settings.environment };
  try {
    const config = await plaidConfig(ctx);
    return { ...base, ready: true, problem: null, standIn: config.standIn, webhook: config.webhook !== null };
  } catch (err) {
    if (!(err instanceof NotConfigured) && (err as Error).name !== 'NotConfigured') throw err;
    return { ...base, ready: false, problem: (err as Error).message, standIn: false, webhook: !!settings.webhookUrl };
  }
}

pageRoutes.get('/', async (c) => {
  const ctx = ctxOf(c);
  const setup = await setupState(ctx);
  const items = await itemViews(ctx);
  return c.html(await ctx.render('index', { items, setup, notice: c.req.query('notice') ?? null }), 200, { 'x-mff-title': 'Bank connections' });
});

pageRoutes.get('/items/:id/card', async (c) => {
  const ctx = ctxOf(c);
  const [view] = await itemViews(ctx, c.req.param('id'));
  if (!view) return c.html('', 200); // removed meanwhile: the card disappears
  return c.html(await ctx.render('item-card', { view }));
});

pageRoutes.get('/items/:id', async (c) => {
  const ctx = ctxOf(c);
  const [view] = await itemViews(ctx, c.req.param('id'));
  if (!view) throw notFound('This connection does not exist (any more).');
  const holdings = await ctx.db.sql<{ account_id: string; name: string | null; ticker: string | null; quantity: string; price: string | null; value: string | null; cost_basis: string | null; currency: string | null }>`
    select h.account_id, s.name, s.ticker, h.quantity::text, h.price::text, h.value::text, h.cost_basis::text, h.currency
    from holdings h join accounts a on a.account_id = h.account_id left join securities s on s.security_id = h.security_id
    where a.item_id = ${view.item.item_id} order by h.value desc nulls last`;
  const liabilities = await ctx.db.sql<{ account_id: string; kind: string; details: string }>`
    select l.account_id, l.kind, l.details::text as details from liabilities l join accounts a on a.account_id = l.account_id
    where a.item_id = ${view.item.item_id}`;
  return c.html(await ctx.render('item', {
    view,
    holdings: holdings.map((h) => ({ ...h, priceShown: h.price === null ? '—' : formatMoney(h.price, h.currency), valueShown: formatMoney(h.value, h.currency), costShown: h.cost_basis === null ? '—' : formatMoney(h.cost_basis, h.currency) })),
    liabilities: liabilities.map((l) => ({ ...l, details: Object.entries(JSON.parse(l.details) as Record<string, unknown>).filter(([, v]) => v !== null && v !== undefined) })),
  }), 200, { 'x-mff-title': view.item.institution_name });
});

pageRoutes.get('/items/:id/remove', async (c) => {
  const ctx = ctxOf(c);
  const item = await getItem(ctx, c.req.param('id'));
  if (!item) throw notFound('This connection does not exist (any more).');
  return c.html(await ctx.render('remove', { item, error: null }), 200, { 'x-mff-title': `Remove ${item.institution_name}` });
});

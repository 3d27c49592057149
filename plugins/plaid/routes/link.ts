// Connecting a bank. GET /link opens a Link session (a new connection, or update mode with ?item=):
// with Plaid, a page that loads Plaid's own script (asked of the kernel with x-mff-scripts, and
// allowed by this page's CSP alone with x-mff-csp) and hands the public token to POST /exchange;
// against the fake Plaid of tests and the demo, a stand-in page where the user picks a bank.
import { HttpError, ctxOf, router, type PluginContext } from '../../../plugin-sdk/index.ts';
import { plaidErrorOf } from '../client/errors.ts';
import { ENVIRONMENTS } from '../config.ts';
import { exchangePublicToken, itemRepaired } from '../link/exchange.ts';
import { createLinkToken } from '../link/link-token.ts';
import { STAND_IN_INSTITUTIONS, completeStandInLink } from '../link/stand-in.ts';
import { getItem } from '../store/items.ts';
import { canManage, formOf } from './form.ts';

export const linkRoutes = router();

const PLAID_SCRIPT = 'https://cdn.plaid.com/link/v2/stable/link-initialize.js';

function mustManage(ctx: PluginContext) {
  if (!canManage(ctx)) throw new HttpError(403, 'Only owners and members of the household connect banks.');
}

async function itemParam(ctx: PluginContext, id: string | undefined) {
  if (!id) return null;
  const item = await getItem(ctx, id);
  if (!item) throw new HttpError(404, 'This connection does not exist (any more).');
  return item;
}

linkRoutes.get('/link', async (c) => {
  const ctx = ctxOf(c);
  mustManage(ctx);
  const item = await itemParam(ctx, c.req.query('item'));
  let session;
  try {
    session = await createLinkToken(ctx, { itemId: item?.item_id, accountSelection: c.req.query('accounts') === '1' });
  } catch (err) {
    if ((err as Error).name === 'NotConfigured') return c.redirect(ctx.url('/'), 303);
    const f = plaidErrorOf(err);
    throw new HttpError(502, `Plaid could not start a connection (${f.code}). Check the Plaid settings, then try again.`);
  }
  const data = { item, linkToken: session.linkToken, institutions: STAND_IN_INSTITUTIONS, accountSelection: c.req.query('accounts') === '1' };
  if (session.standIn) return c.html(await ctx.render('link-stand-in', data), 200, { 'x-mff-title': 'Connect a bank' });
  const api = ENVIRONMENTS[session.environment as keyof typeof ENVIRONMENTS] ?? session.baseUrl;
  return c.html(await ctx.render('link', data), 200, {
    'x-mff-title': item ? `Reconnect ${item.institution_name}` : 'Connect a bank',
    'x-mff-scripts': `${PLAID_SCRIPT}, ${ctx.url('/link.js')}`,
    'x-mff-csp': `frame-src https://cdn.plaid.com/; connect-src ${api}/`,
    'cache-control': 'no-store',
  });
});

// Opens Plaid Link on the page above and posts the public token back (plugin HTML may hold no script).
linkRoutes.get('/link.js', (c) =>
  c.body(`(function () {
  var root = document.getElementById('p-plaid-link');
  var form = document.getElementById('p-plaid-exchange');
  var status = document.getElementById('p-plaid-link-status');
  if (!root || !form || !window.Plaid) { if (status) status.textContent = 'Plaid Link could not load. Check your connection and reload the page.'; return; }
  var handler = window.Plaid.create({
    token: root.getAttribute('data-link-token'),
    onSuccess: function (publicToken) { form.elements.public_token.value = publicToken; form.submit(); },
    onExit: function (err) { if (status) status.textContent = err ? 'Plaid Link closed: ' + (err.display_message || err.error_message || err.error_code) : 'Plaid Link closed. Open it again when you are ready.'; }
  });
  document.getElementById('p-plaid-open').addEventListener('click', function () { handler.open(); });
  handler.open();
})();
`, 200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-store' }));

async function finish(ctx: PluginContext, publicToken: string, itemId: string | undefined): Promise<string> {
  if (itemId) {
    await itemRepaired(ctx, itemId);
    return ctx.url(`/?notice=reconnected`);
  }
  await exchangePublicToken(ctx, publicToken);
  return ctx.url('/?notice=connected');
}

function linkFailure(err: unknown): never {
  if (err instanceof HttpError || (err as Error).name === 'HttpError') throw err;
  const f = plaidErrorOf(err);
  throw new HttpError(502, `The connection could not be completed (${f.code}). Nothing was saved; try again.`);
}

// Real Link's onSuccess (link.js): the public token of a new item, or of the item updated.
linkRoutes.post('/exchange', async (c) => {
  const ctx = ctxOf(c);
  mustManage(ctx);
  const form = await formOf(c.req.raw);
  if (!form.public_token || form.public_token.length > 500) throw new HttpError(400, 'public_token: missing');
  await itemParam(ctx, form.item || undefined);
  try {
    return c.redirect(await finish(ctx, form.public_token, form.item || undefined), 303);
  } catch (err) {
    return linkFailure(err);
  }
});

// The stand-in Link page's form: the fake completes the session for the chosen bank.
linkRoutes.post('/link/stand-in', async (c) => {
  const ctx = ctxOf(c);
  mustManage(ctx);
  const form = await formOf(c.req.raw);
  if (!form.link_token) throw new HttpError(400, 'link_token: missing');
  await itemParam(ctx, form.item || undefined);
  try {
    const publicToken = await completeStandInLink(ctx, form.link_token, form.institution_id || null);
    return c.redirect(await finish(ctx, publicToken, form.item || undefined), 303);
  } catch (err) {
    return linkFailure(err);
  }
});

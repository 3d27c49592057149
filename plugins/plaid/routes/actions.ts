// What the connections page posts: sync now, remove a connection (keeping or deleting its history).
// Each works as a plain form post (303 back to the page) and, with htmx, answers the item's card in
// place. Plaid's keys are not here: the instance admin sets them (config.ts).
import { HttpError, ctxOf, router, type PluginContext } from '../../../plugin-sdk/index.ts';
import { queueSync } from '../link/exchange.ts';
import { removeConnection } from '../link/remove.ts';
import { getItem } from '../store/items.ts';
import { canManage, formOf, isHtmx } from './form.ts';
import { itemViews } from './view-model.ts';

export const actionRoutes = router();

function mustManage(ctx: PluginContext) {
  if (!canManage(ctx)) throw new HttpError(403, 'Only owners and members of the household manage connections.');
}

actionRoutes.post('/items/:id/sync', async (c) => {
  const ctx = ctxOf(c);
  mustManage(ctx);
  const item = await getItem(ctx, c.req.param('id'));
  if (!item) throw new HttpError(404, 'This connection does not exist (any more).');
  await queueSync(ctx, item.item_id);
  if (!isHtmx(c.req.raw)) return c.redirect(ctx.url('/?notice=sync-queued'), 303);
  const [view] = await itemViews(ctx, item.item_id);
  return c.html(await ctx.render('item-card', { view }));
});

actionRoutes.post('/items/:id/remove', async (c) => {
  const ctx = ctxOf(c);
  mustManage(ctx);
  const form = await formOf(c.req.raw);
  if (form.history !== 'keep' && form.history !== 'delete') throw new HttpError(400, 'history: choose keep or delete');
  await removeConnection(ctx, c.req.param('id'), form.history);
  return c.redirect(ctx.url(`/?notice=removed-${form.history}`), 303);
});

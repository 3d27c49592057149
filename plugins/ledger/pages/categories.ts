// The categories page: create, rename, hide/show, merge and delete.
import type { Context } from 'hono';
import type { PluginApp, PluginContext, PluginEnv } from '../../../plugin-sdk/index.ts';
import { ctxOf } from '../../../plugin-sdk/index.ts';
import { emitTransactionsChanged } from '../events.ts';
import * as ledger from '../service/index.ts';
import { attempt, done, given, page, readForm } from './http.ts';
import { canWrite } from './view-data.ts';

/** What a refused form had typed, shown again: the new category's fields, or one row's new name. */
type Typed = { create?: Record<string, string>; rename?: { id: string; name: string } };

async function categoriesPage(ctx: PluginContext, error?: string, typed: Typed = {}) {
  const all = await ctx.db.tx((tx) => ledger.listCategories(tx, { includeHidden: true }));
  return ctx.render('categories', { all, error, typed, canWrite: canWrite(ctx) });
}

export function categoryRoutes(routes: PluginApp): void {
  routes.get('/categories', async (c) => page(c, await categoriesPage(ctxOf(c)), 'Categories'));

  const answer = async (c: Context<PluginEnv>, r: { ok: true } | { ok: false; error: string }, typed?: Typed) => {
    const ctx = ctxOf(c);
    if (!r.ok) return page(c, await categoriesPage(ctx, r.error, typed), 'Categories', 422);
    return done(c, ctx.url('/categories'));
  };

  routes.post('/categories', async (c) => {
    const ctx = ctxOf(c);
    const f = await readForm(c.req.raw);
    const input = { name: f.get('name') ?? '', parentId: given(f.get('parentId')) ?? null, ...(given(f.get('kind')) ? { kind: given(f.get('kind')) } : {}) };
    const typed = { create: { name: f.get('name') ?? '', parentId: f.get('parentId') ?? '', kind: f.get('kind') ?? '' } };
    return answer(c, await attempt(() => ctx.db.tx((tx) => ledger.createCategory(tx, input as never))), typed);
  });

  routes.post('/categories/merge', async (c) => {
    const ctx = ctxOf(c);
    const f = await readForm(c.req.raw);
    const r = await attempt(() => ctx.db.tx((tx) => ledger.mergeCategories(tx, { fromId: f.get('fromId') ?? '', intoId: f.get('intoId') ?? '' })));
    if (r.ok) {
      for (const pair of r.value.merged) await ctx.events.emit('ledger.categories.merged', pair);
      await emitTransactionsChanged(ctx, 'manual', { inserted: [], updated: r.value.transactionIds, removed: [] });
    }
    return answer(c, r);
  });

  // One form per action posts here: a new name, or hidden=true/false.
  routes.post('/categories/:id', async (c) => {
    const ctx = ctxOf(c);
    const f = await readForm(c.req.raw);
    const patch = {
      ...(f.has('name') ? { name: f.get('name') ?? '' } : {}),
      ...(f.has('hidden') ? { hidden: f.get('hidden') === 'true' } : {}),
    };
    const typed = f.has('name') ? { rename: { id: c.req.param('id'), name: f.get('name') ?? '' } } : {};
    return answer(c, await attempt(() => ctx.db.tx((tx) => ledger.updateCategory(tx, c.req.param('id'), patch))), typed);
  });

  routes.post('/categories/:id/delete', async (c) => {
    const ctx = ctxOf(c);
    const r = await ctx.db.tx((tx) => ledger.deleteCategory(tx, c.req.param('id')));
    await emitTransactionsChanged(ctx, 'manual', { inserted: [], updated: r.transactionIds, removed: [] });
    return done(c, ctx.url('/categories'));
  });
}

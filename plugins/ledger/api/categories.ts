// /api/v1/ledger/categories: list (groups each followed by their categories, paged), get, create
// (Idempotency-Key), update (rename, hide, move), merge, delete.
import { idempotent, z, type PluginApiRoute } from '../../../plugin-sdk/index.ts';
import { emitTransactionsChanged } from '../events.ts';
import { Category, CategoryCreate, CategoryKind, CategoryMerge, CategoryUpdate } from '../schemas/categories.ts';
import { Flag, Id } from '../schemas/common.ts';
import { page } from '../schemas/transactions.ts';
import * as ledger from '../service/index.ts';
import { PageQuery, pageOf } from './paging.ts';

const ById = z.object({ id: Id }).strict();
const ListQuery = z.object({ kind: CategoryKind.optional(), includeHidden: Flag.optional(), ...PageQuery }).strict();
const none: string[] = [];

export const categoriesApi: PluginApiRoute[] = [
  {
    method: 'get',
    path: '/categories',
    summary: 'Categories: each group followed by its categories (hidden ones only when asked), cursor-paged',
    query: ListQuery,
    response: page(Category),
    handler: async ({ query, ctx }) => {
      const all = await ctx.db.tx((tx) => ledger.listCategories(tx, { includeHidden: query.includeHidden }));
      return pageOf(query.kind ? all.filter((c) => c.kind === query.kind) : all, query.limit, query.cursor);
    },
  },
  {
    method: 'get',
    path: '/categories/:id',
    summary: 'One category',
    params: ById,
    response: Category,
    handler: ({ params, ctx }) => ctx.db.tx((tx) => ledger.getCategory(tx, params.id)),
  },
  {
    method: 'post',
    path: '/categories',
    summary: 'Create a group, or a category in a group (honours Idempotency-Key)',
    body: CategoryCreate,
    response: Category,
    idempotent: true,
    handler: ({ body, ctx }) => idempotent(ctx, 'categories.create', body, (tx) => ledger.createCategory(tx, body)),
  },
  {
    method: 'patch',
    path: '/categories/:id',
    summary: 'Rename, hide, change kind or position, or move a category to another group',
    params: ById,
    body: CategoryUpdate,
    response: Category,
    handler: ({ params, body, ctx }) => ctx.db.tx((tx) => ledger.updateCategory(tx, params.id, body)),
  },
  {
    method: 'post',
    path: '/categories/merge',
    summary: 'Merge one category (or group) into another: its transactions move over',
    body: CategoryMerge,
    response: z.object({ merged: z.array(CategoryMerge), transactionIds: z.array(Id) }),
    status: 200,
    handler: async ({ body, ctx }) => {
      const r = await ctx.db.tx((tx) => ledger.mergeCategories(tx, body));
      for (const pair of r.merged) await ctx.events.emit('ledger.categories.merged', pair);
      await emitTransactionsChanged(ctx, 'manual', { inserted: none, updated: r.transactionIds, removed: none });
      return r;
    },
  },
  {
    method: 'delete',
    path: '/categories/:id',
    summary: 'Delete a category (a group with its categories); its transactions become uncategorized',
    params: ById,
    status: 204,
    handler: async ({ params, ctx }) => {
      const r = await ctx.db.tx((tx) => ledger.deleteCategory(tx, params.id));
      await emitTransactionsChanged(ctx, 'manual', { inserted: none, updated: r.transactionIds, removed: none });
    },
  },
];

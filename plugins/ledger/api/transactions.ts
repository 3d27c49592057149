// /api/v1/ledger/transactions: list (filters + keyset cursor), get, create (Idempotency-Key),
// update, delete, bulk update. Changes announce ledger.transactions.changed after commit.
import { idempotent, z, type PluginApiRoute } from '../../../plugin-sdk/index.ts';
import { emitTransactionsChanged } from '../events.ts';
import { Id } from '../schemas/common.ts';
import {
  Transaction, TransactionBulkUpdate, TransactionCreate, TransactionListQuery, TransactionPage, TransactionUpdate,
} from '../schemas/transactions.ts';
import * as ledger from '../service/index.ts';
import { createTransactionWithRules, updateTransactionWithRules } from '../rules-hook.ts';

const ById = z.object({ id: Id }).strict();
const none: string[] = [];

export const transactionsApi: PluginApiRoute[] = [
  {
    method: 'get',
    path: '/transactions',
    summary: 'Transactions newest first, filtered, with a keyset cursor (follow nextCursor until null)',
    query: TransactionListQuery,
    response: TransactionPage,
    handler: ({ query, ctx }) => ctx.db.tx((tx) => ledger.listTransactions(tx, query)),
  },
  {
    method: 'get',
    path: '/transactions/:id',
    summary: 'One transaction',
    params: ById,
    response: Transaction,
    handler: ({ params, ctx }) => ctx.db.tx((tx) => ledger.getTransaction(tx, params.id)),
  },
  {
    method: 'post',
    path: '/transactions',
    summary: 'Enter a manual transaction (honours Idempotency-Key)',
    body: TransactionCreate,
    response: Transaction,
    idempotent: true,
    handler: ({ body, ctx }) => idempotent(ctx, 'transactions.create', body, (tx) => createTransactionWithRules(ctx, tx, body), // rules apply in the same transaction (rules-hook.ts)
      // A replayed answer announces nothing: the transaction was announced when it was created.
      (t) => emitTransactionsChanged(ctx, 'manual', { inserted: [t.id], updated: none, removed: none })),
  },
  {
    method: 'patch',
    path: '/transactions/:id',
    summary: 'Edit a transaction (category, notes, tags, flags; date/amount/payee on manual ones)',
    params: ById,
    body: TransactionUpdate,
    response: Transaction,
    handler: async ({ params, body, ctx }) => {
      const t = await ctx.db.tx((tx) => updateTransactionWithRules(ctx, tx, params.id, body)) // rules run again (rules-hook.ts);
      await emitTransactionsChanged(ctx, t.source, { inserted: none, updated: [t.id], removed: none });
      return t;
    },
  },
  {
    method: 'post',
    path: '/transactions/bulk',
    summary: 'Set a category, add/remove tags or flags on many transactions',
    body: TransactionBulkUpdate,
    response: z.object({ updated: z.array(Id) }),
    status: 200,
    handler: async ({ body, ctx }) => {
      const updated = await ctx.db.tx((tx) => ledger.bulkUpdateTransactions(tx, body));
      await emitTransactionsChanged(ctx, 'manual', { inserted: none, updated, removed: none });
      return { updated };
    },
  },
  {
    method: 'delete',
    path: '/transactions/:id',
    summary: 'Delete a transaction',
    params: ById,
    status: 204,
    handler: async ({ params, ctx }) => {
      await ctx.db.tx((tx) => ledger.deleteTransaction(tx, params.id));
      await emitTransactionsChanged(ctx, 'manual', { inserted: none, updated: none, removed: [params.id] });
    },
  },
];

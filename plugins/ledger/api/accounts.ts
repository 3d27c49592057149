// /api/v1/ledger/accounts: list (by type, open or all, paged), get, create (Idempotency-Key), update, delete.
import { idempotent, z, type PluginApiRoute } from '../../../plugin-sdk/index.ts';
import { emitTransactionsChanged } from '../events.ts';
import { Account, AccountCreate, AccountType, AccountUpdate } from '../schemas/accounts.ts';
import { Flag, Id } from '../schemas/common.ts';
import { page } from '../schemas/transactions.ts';
import * as ledger from '../service/index.ts';
import { PageQuery, pageOf } from './paging.ts';

const ById = z.object({ id: Id }).strict();
const ListQuery = z.object({ type: AccountType.optional(), includeClosed: Flag.optional(), ...PageQuery }).strict();

export const accountsApi: PluginApiRoute[] = [
  {
    method: 'get',
    path: '/accounts',
    summary: 'Accounts, assets before liabilities (open only unless includeClosed), cursor-paged',
    query: ListQuery,
    response: page(Account),
    handler: async ({ query, ctx }) => {
      const all = await ctx.db.tx((tx) => ledger.listAccounts(tx, { includeClosed: query.includeClosed }));
      return pageOf(query.type ? all.filter((a) => a.type === query.type) : all, query.limit, query.cursor);
    },
  },
  {
    method: 'get',
    path: '/accounts/:id',
    summary: 'One account with its current balance',
    params: ById,
    response: Account,
    handler: ({ params, ctx }) => ctx.db.tx((tx) => ledger.getAccount(tx, params.id)),
  },
  {
    method: 'post',
    path: '/accounts',
    summary: 'Create a manual account (honours Idempotency-Key)',
    body: AccountCreate,
    response: Account,
    idempotent: true,
    handler: ({ body, ctx }) => idempotent(ctx, 'accounts.create', body, (tx) => ledger.createAccount(tx, body)),
  },
  {
    method: 'patch',
    path: '/accounts/:id',
    summary: 'Rename, retype, close, or set the balance of a manual account',
    params: ById,
    body: AccountUpdate,
    response: Account,
    handler: ({ params, body, ctx }) => ctx.db.tx((tx) => ledger.updateAccount(tx, params.id, body)),
  },
  {
    method: 'delete',
    path: '/accounts/:id',
    summary: 'Delete an account with its transactions and balance history',
    params: ById,
    status: 204,
    handler: async ({ params, ctx }) => {
      const { transactionIds } = await ctx.db.tx((tx) => ledger.deleteAccount(tx, params.id));
      await emitTransactionsChanged(ctx, 'manual', { inserted: [], updated: [], removed: transactionIds });
    },
  },
];

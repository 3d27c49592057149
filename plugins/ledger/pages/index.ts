// The ledger's pages under /p/ledger/ and its home card. Viewers see everything and change nothing.
import { ctxOf, router, type FragmentDefinition } from '../../../plugin-sdk/index.ts';
import * as ledger from '../service/index.ts';
import { accountRoutes } from './accounts.ts';
import { categoryRoutes } from './categories.ts';
import { accountGroups, canWrite } from './view-data.ts';
import { transactionRoutes } from './transactions.ts';

export const routes = router();

routes.use('*', async (c, next) => {
  if (c.req.method !== 'GET' && c.req.method !== 'HEAD' && !canWrite(ctxOf(c))) return c.text('viewers cannot change the ledger', 403);
  await next();
});
accountRoutes(routes);
transactionRoutes(routes);
categoryRoutes(routes);

/** Home page card: net worth and the open accounts (until the dashboard plugin shows more). */
export const homeCard: FragmentDefinition = {
  title: 'Accounts',
  order: 10,
  render: async (ctx) => {
    const data = await ctx.db.tx(async (tx) => ({ accounts: await ledger.listAccounts(tx), net: await ledger.netWorth(tx) }));
    return ctx.render('card', { ...data, groups: accountGroups(data.accounts) });
  },
};

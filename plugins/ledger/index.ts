// The ledger plugin: accounts, balances, transactions and categories (see service/ for the
// household-bound functions and schemas/ for their zod schemas). Other plugins use it through its
// services; pages and API routes mount here as they are written.
import { definePlugin } from '../../plugin-sdk/index.ts';
import { readService, sourcesService } from './services.ts';
import { seedCategories } from './service/index.ts';
import { api } from './api/index.ts';
import { homeCard, routes } from './pages/index.ts';

export default definePlugin({
  api,
  routes,
  fragments: { 'home.card': homeCard },
  events: {
    // A new household starts with friendly categories mapped from Plaid's taxonomy (idempotent).
    'kernel.household.created': async (_event, ctx) => {
      await ctx.db.tx((sql) => seedCategories(sql));
    },
  },
  services: {
    ledger: readService,
    'ledger.sources': sourcesService,
  },
});

// The ledger plugin: accounts, balances, transactions and categories (see service/ for the
// household-bound functions and schemas/ for their zod schemas). Other plugins use it through its
// services; pages and API routes mount here as they are written.
import { definePlugin } from '../../plugin-sdk/index.ts';
import { readService, sourcesService } from './services.ts';

export default definePlugin({
  services: {
    ledger: readService,
    'ledger.sources': sourcesService,
  },
});

// The Plaid plugin: bank connections through Plaid's official SDK, feeding the ledger through its
// services. Runs sandboxed by default (its manifest declares Plaid's hosts, its secrets and the SDK
// package); the same code runs in-process. See README.md.
import { definePlugin } from '../../plugin-sdk/index.ts';
import { plaidApi } from './client/index.ts';
import { plaidConfig } from './config.ts';
import { syncAllJob, syncJob } from './jobs.ts';
import { SYNC_RETRIES } from './sync/retry-policy.ts';
import { actionRoutes } from './routes/actions.ts';
import { linkRoutes } from './routes/link.ts';
import { pageRoutes } from './routes/pages.ts';
import { publicRoutes } from './routes/public.ts';
import { homeCard } from './routes/home-card.ts';
import { listItems } from './store/items.ts';
import { accessToken } from './tokens.ts';
import { router } from '../../plugin-sdk/index.ts';

const routes = router();
routes.route('/', pageRoutes);
routes.route('/', linkRoutes);
routes.route('/', actionRoutes);

export default definePlugin({
  routes,
  publicRoutes,
  jobs: {
    // Retried with exponential backoff when Plaid or the bank has a temporary problem (the
    // transport already retried each request within seconds); item errors are recorded and not retried.
    sync: { handler: syncJob, ...SYNC_RETRIES, expireSeconds: 120 },
    'sync-all': { handler: syncAllJob, retryLimit: 2 },
  },
  schedules: {
    fallback: { cron: '23 */6 * * *', job: 'sync-all' },
  },
  fragments: {
    'home.card': { title: 'Bank connections', order: 15, render: homeCard },
  },
  // The household is being deleted: tell Plaid to stop (and stop billing) for each of its items.
  onHouseholdDeleted: async (ctx) => {
    let config;
    try {
      config = await plaidConfig(ctx);
    } catch {
      return;
    }
    const api = plaidApi(ctx, config);
    for (const item of await listItems(ctx)) {
      try {
        await api.itemRemove({ access_token: await accessToken(ctx, item.item_id) });
      } catch (err) {
        ctx.log.warn('plaid item not removed with its household', { itemId: item.item_id, err: (err as Error).message });
      }
    }
  },
});

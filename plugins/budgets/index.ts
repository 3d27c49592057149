// Budgets: monthly, quarterly, annual and custom budgets on ledger categories or groups, with
// rollover, pace, history and alerts. Reads the ledger's tables through granted access (plugin.json
// permissions.db.read); written against plugin-sdk only.
import { definePlugin } from '../../plugin-sdk/index.ts';
import { checkAlerts } from './alerts.ts';
import { api } from './api.ts';
import { routes } from './routes.ts';

export default definePlugin({
  routes,
  api,
  jobs: {
    'check-alerts': { handler: async (_data, ctx) => void (await checkAlerts(ctx)), retryLimit: 2 },
  },
  schedules: {
    // Catches what no event announces (a category edited by hand, rules applied to old transactions).
    hourly: { cron: '7 * * * *', job: 'check-alerts' },
  },
  events: {
    // New, modified or removed transactions from any source: spending may have crossed 80% or 100%.
    'ledger.transactions.changed': async (_event, ctx) => void (await checkAlerts(ctx)),
  },
});

// Savings goals: an example third-party mff plugin. It imports nothing from mff but plugin-sdk,
// and runs the same in-process or sandboxed (mff.config.ts decides).
import { definePlugin } from '../../plugin-sdk/index.ts';
import { api } from './api.ts';
import { listGoals } from './goals.ts';
import { snapshot } from './jobs.ts';
import { routes } from './routes.ts';

export default definePlugin({
  routes,
  api,
  jobs: {
    snapshot: { handler: async (_data, ctx) => snapshot(ctx), retryLimit: 2 },
  },
  schedules: {
    nightly: { cron: '15 2 * * *', job: 'snapshot' },
  },
  fragments: {
    'home.card': {
      title: 'Savings goals',
      order: 40,
      render: async (ctx) => {
        const settings = await ctx.settings.get<{ cardLimit: number; showCompleted: boolean }>();
        const goals = await listGoals(ctx, { includeReached: settings.showCompleted, limit: settings.cardLimit });
        return ctx.render('card', { goals });
      },
    },
  },
  // The household is going away: its rows would go with it, but a plugin with outside resources
  // (an API account, a webhook) releases them here. This one just removes its rows itself.
  onHouseholdDeleted: async (ctx) => {
    await ctx.db.sql`delete from goals`;
  },
});

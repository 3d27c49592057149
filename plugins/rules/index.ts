// Rules: categorization rules that run on every new or modified transaction (the ledger calls the
// `rules` service inside its own database transaction), and on existing ones on request.
// Written against plugin-sdk only.
import { definePlugin, router } from '../../plugin-sdk/index.ts';
import { api } from './api.ts';
import { applyRoutes } from './routes/apply.ts';
import { editRoutes } from './routes/edit.ts';
import { listRoutes } from './routes/list.ts';
import { applyJob } from './run/apply-existing.ts';
import { rulesService } from './service.ts';

const routes = router();
editRoutes(routes);
applyRoutes(routes);
listRoutes(routes);

export default definePlugin({
  routes,
  api,
  jobs: {
    // Applies rules to existing transactions (a run recorded by POST /apply), page by page.
    apply: {
      handler: async (data: { runId: string; pageSize?: number }, ctx) =>
        applyJob(ctx, data.runId, Number.isInteger(data.pageSize) && data.pageSize! > 0 ? Math.min(data.pageSize!, 50_000) : undefined),
      retryLimit: 2,
      expireSeconds: 3600,
    },
  },
  services: {
    rules: rulesService,
  },
  // Rows go with the household (foreign keys cascade); nothing outside the database to release.
});

// Import: bank statements (OFX 1.x/2.x, QFX, QIF, CSV) into ledger accounts. Upload → (CSV column
// mapping) → preview with duplicates → confirm → a background job writes through the ledger's
// `ledger.sources` service, with progress. Written against plugin-sdk only; see README.md.
import { definePlugin } from '../../plugin-sdk/index.ts';
import { api } from './api/routes.ts';
import { runImport } from './run/job.ts';
import { removeExpired } from './store/imports.ts';
import { routes } from './web/routes.ts';

export default definePlugin({
  routes,
  api,
  jobs: {
    // Writes one confirmed import; retried from its last committed batch when it fails.
    run: {
      handler: async (data: { importId: string }, ctx) => runImport(ctx, data.importId),
      retryLimit: 3,
      retryDelaySeconds: 3,
      expireSeconds: 3600,
    },
    cleanup: {
      handler: async (_data, ctx) => {
        const removed = await removeExpired(ctx.db.sql);
        if (removed) ctx.log.info('expired uploads removed', { removed });
      },
      retryLimit: 1,
    },
  },
  schedules: {
    // Uploads nobody confirmed are deleted once they expire (keepUploadHours).
    cleanup: { cron: '17 * * * *', job: 'cleanup' },
  },
  // Rows go with the household (foreign keys cascade); nothing outside the database to release.
});

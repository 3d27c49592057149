// The plugin's jobs: an item's sync (queued by the first connection, webhooks, "sync now" and its own
// continuations) and the scheduled fallback that syncs every usable item, for instances Plaid cannot
// reach with webhooks and for webhooks that never came.
import type { PluginContext } from '../../plugin-sdk/index.ts';
import { queueSync } from './link/exchange.ts';
import { listItems } from './store/items.ts';
import { runSync, type SyncOptions } from './sync/run.ts';

export type SyncJobData = { itemId: string } & SyncOptions;

export async function syncJob(data: SyncJobData, ctx: PluginContext): Promise<void> {
  if (!data || typeof data.itemId !== 'string') return;
  const opts: SyncOptions = {};
  if (Number.isInteger(data.pageSize) && data.pageSize! >= 1 && data.pageSize! <= 500) opts.pageSize = data.pageSize;
  if (Number.isInteger(data.budgetMs) && data.budgetMs! >= 0 && data.budgetMs! <= 25_000) opts.budgetMs = data.budgetMs; // 0: one page a run
  const outcome = await runSync(ctx, data.itemId, opts);
  ctx.log.info('plaid sync run', { itemId: data.itemId, outcome });
}

export async function syncAllJob(_data: unknown, ctx: PluginContext): Promise<void> {
  for (const item of await listItems(ctx)) {
    if (item.status === 'revoked' || item.status === 'login_required') continue; // they need the household first
    await queueSync(ctx, item.item_id);
  }
}

// One run of an item's sync (the `sync` job). /transactions/sync is paged until has_more is false:
//  - a single page (the usual incremental sync) goes to the ledger at once, with its cursor;
//  - several pages are staged (store/pages.ts) and written when complete (flush.ts);
//  - TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION drops the stage and starts again from the cursor
//    the ledger holds (the start of the pagination), as Plaid documents;
//  - a run stops paging after its time budget and enqueues its own continuation (a sandboxed call
//    has a deadline), resuming from the last staged page.
// A crash anywhere leaves either the stage or the ledger's cursor to resume from: nothing is lost,
// nothing applied twice (every ledger batch is idempotent).
import type { PlaidApi, TransactionsSyncResponse } from 'plaid';
import type { PluginContext } from '../../../plugin-sdk/index.ts';
import { plaidClient } from '../client/index.ts';
import { ITEM_STATES, isTransient, plaidErrorOf } from '../client/errors.ts';
import { NotConfigured } from '../config.ts';
import { getItem, recordFailure, recordProgress, recordSuccess, setItemStatus, setSyncState, type ItemRow } from '../store/items.ts';
import { dropStage, readStage, stagePage, type Stage } from '../store/pages.ts';
import { NoAccessToken, accessToken } from '../tokens.ts';
import { accountMap, refreshAccounts, type AccountMap } from './accounts.ts';
import { toRemovedKey, toSourceTransaction, type RemovedKey, type SourceTransaction } from './convert.ts';
import { flushStage } from './flush.ts';
import { SOURCE, cursorKey, ledgerSources } from './ledger.ts';
import { BUSY, withItemLock } from './lock.ts';
import { refreshHoldings, refreshLiabilities } from './products.ts';

export type SyncOptions = {
  /** Transactions per /transactions/sync page (Plaid allows 1..500). */
  pageSize?: number;
  /** How long one run pages before handing over to a continuation job, in ms. */
  budgetMs?: number;
};

export type SyncOutcome = 'done' | 'continued' | 'busy' | 'waiting' | 'item-error' | 'not-configured' | 'gone';

export const syncJobKey = (itemId: string) => `sync:${itemId}`;

class UnknownAccount extends Error {}

export async function runSync(ctx: PluginContext, itemId: string, opts: SyncOptions = {}): Promise<SyncOutcome> {
  const item = await getItem(ctx, itemId);
  if (!item) return 'gone';
  const outcome = await withItemLock(ctx, itemId, () => syncLocked(ctx, item, opts));
  if (outcome === BUSY) {
    // Another run holds the item: look again shortly, so what prompted this run is not missed.
    await ctx.jobs.enqueue('sync', { itemId, ...opts }, { delaySeconds: 5, singletonKey: syncJobKey(itemId) });
    return 'busy';
  }
  return outcome;
}

async function syncLocked(ctx: PluginContext, item: ItemRow, opts: SyncOptions): Promise<SyncOutcome> {
  const itemId = item.item_id;
  const deadline = Date.now() + (opts.budgetMs ?? 15_000);
  try {
    const { api } = await plaidClient(ctx);
    const token = await accessToken(ctx, itemId);
    await setSyncState(ctx, itemId, 'running');
    const outcome = await pageThrough(ctx, api, token, item, opts, deadline);
    if (outcome !== 'done') return outcome;
    if (item.products.includes('investments')) await refreshHoldings(ctx, api, token, itemId);
    if (item.products.includes('liabilities')) await refreshLiabilities(ctx, api, token, itemId);
    await recordSuccess(ctx, itemId);
    return 'done';
  } catch (err) {
    return failed(ctx, itemId, err);
  }
}

async function pageThrough(ctx: PluginContext, api: PlaidApi, token: string, item: ItemRow, opts: SyncOptions, deadline: number): Promise<SyncOutcome> {
  const itemId = item.item_id;
  const ledger = ledgerSources(ctx);
  const committed = (await ledger.getSourceCursor(SOURCE, cursorKey(itemId))) ?? '';
  let stage: Stage | null = await readStage(ctx, itemId);
  // A stage that did not start at the ledger's cursor is finished (flushed) or stale: drop it.
  if (stage && stage.start !== committed) {
    await dropStage(ctx, itemId);
    stage = null;
  }
  let accounts: AccountMap = stage ? await accountMap(ctx, itemId) : await refreshAccounts(ctx, api, token, itemId, item.institution_name);
  let transactions = stage?.transactions ?? 0;

  while (!stage?.complete) {
    let page: TransactionsSyncResponse;
    try {
      page = (await api.transactionsSync({
        access_token: token,
        ...(stage || committed ? { cursor: stage ? stage.lastCursor : committed } : {}),
        count: opts.pageSize ?? 500,
        options: { include_original_description: true, personal_finance_category_version: 'v2' } as never,
      })).data;
    } catch (err) {
      if (plaidErrorOf(err).code !== 'TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION') throw err;
      ctx.log.info('plaid history changed during pagination; starting again from the saved cursor', { itemId });
      await dropStage(ctx, itemId);
      stage = null;
      transactions = 0;
      continue;
    }
    if (page.transactions_update_status === 'NOT_READY' && !page.has_more && !page.added.length && !page.modified.length && !page.removed.length) {
      await setSyncState(ctx, itemId, 'waiting'); // Plaid announces the history with SYNC_UPDATES_AVAILABLE
      return 'waiting';
    }
    let rows: { upserts: SourceTransaction[]; removed: RemovedKey[] };
    try {
      rows = convertPage(page, accounts, ctx.household.baseCurrency);
    } catch (err) {
      if (!(err instanceof UnknownAccount)) throw err;
      accounts = await refreshAccounts(ctx, api, token, itemId, item.institution_name); // an account opened since
      rows = convertPage(page, accounts, ctx.household.baseCurrency);
    }
    transactions += rows.upserts.length + rows.removed.length;
    if (!stage && !page.has_more) {
      // Everything in one page: rows and cursor in one ledger transaction.
      await ledger.applyTransactionBatch({ source: SOURCE, added: rows.upserts, removed: rows.removed, cursor: { key: cursorKey(itemId), value: page.next_cursor } });
      return 'done';
    }
    const seq = (stage?.lastSeq ?? 0) + 1;
    await stagePage(ctx, itemId, { seq, start: stage?.start ?? committed, next: page.next_cursor, hasMore: page.has_more, ...rows });
    stage = { start: stage?.start ?? committed, lastSeq: seq, lastCursor: page.next_cursor, complete: !page.has_more, transactions };
    await recordProgress(ctx, itemId, seq, transactions);
    // Out of time: the next run resumes here (every run stages at least one page).
    if (!stage.complete && Date.now() > deadline) return continueLater(ctx, itemId, opts);
  }
  const flushed = (await getItem(ctx, itemId))?.flushed_through ?? 0;
  const result = await flushStage(ctx, itemId, stage.lastCursor, flushed, deadline);
  return result === 'done' ? 'done' : continueLater(ctx, itemId, opts);
}

function convertPage(page: TransactionsSyncResponse, accounts: AccountMap, currency: string) {
  const ledgerId = (plaidId: string) => {
    const id = accounts.get(plaidId);
    if (!id) throw new UnknownAccount(plaidId);
    return id;
  };
  return {
    upserts: [...page.added, ...page.modified].map((t) => toSourceTransaction(t, ledgerId, currency)),
    removed: page.removed.map((r) => toRemovedKey(r, (id) => accounts.get(id))).filter((r): r is RemovedKey => r !== null),
  };
}

async function continueLater(ctx: PluginContext, itemId: string, opts: SyncOptions): Promise<SyncOutcome> {
  await setSyncState(ctx, itemId, 'queued');
  await ctx.jobs.enqueue('sync', { itemId, ...opts }, { singletonKey: syncJobKey(itemId) });
  return 'continued';
}

/** Records why the run failed; throws (so the job is retried with backoff) only when that may help. */
async function failed(ctx: PluginContext, itemId: string, err: unknown): Promise<SyncOutcome> {
  if (err instanceof NotConfigured || (err as Error)?.name === 'NotConfigured') {
    await recordFailure(ctx, itemId, 'NOT_CONFIGURED', { retrying: false });
    return 'not-configured';
  }
  if (err instanceof NoAccessToken || (err as Error)?.name === 'NoAccessToken') {
    await recordFailure(ctx, itemId, 'NO_ACCESS_TOKEN', { retrying: false });
    return 'item-error';
  }
  const f = plaidErrorOf(err);
  const state = ITEM_STATES[f.code];
  if (state) {
    await setItemStatus(ctx, itemId, state, f.code);
    await recordFailure(ctx, itemId, f.code, { retrying: false });
    return 'item-error';
  }
  // A temporary problem throws, so the job is retried with backoff; on the job's last run the throw
  // only records the job as failed (for the admin), and the item waits for the scheduled sync.
  const transient = isTransient(f);
  const retrying = transient && !ctx.job?.lastAttempt;
  await recordFailure(ctx, itemId, f.code, { retrying });
  ctx.log.warn('plaid sync failed', { itemId, code: f.code, status: f.status, requestId: f.requestId, retrying });
  if (transient) throw err;
  return 'item-error';
}

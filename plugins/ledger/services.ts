// The services the ledger provides to other plugins (plain data in and out, every method async):
//   ledger          reading: accounts, transactions, categories, balances, net worth
//   ledger.sources  feeding: accounts, balances, transaction batches with their sync cursor
// Each call runs in a transaction of its own, bound to the caller's household; a batch and its
// cursor commit together, and ledger.transactions.changed is emitted after the commit.
import { forbidden, type PluginContext } from '../../plugin-sdk/index.ts';
import { emitTransactionsChanged } from './events.ts';
import { enrichWithRules } from './rules-hook.ts';
import type { BalanceRecordT, SourceAccountT } from './schemas/accounts.ts';
import type { TransactionBatchT } from './schemas/batch.ts';
import type { TransactionListQueryT } from './schemas/transactions.ts';
import * as ledger from './service/index.ts';

export const readService = (ctx: PluginContext) => ({
  listAccounts: (opts?: { includeClosed?: boolean }) => ctx.db.tx((tx) => ledger.listAccounts(tx, opts)),
  getAccount: (id: string) => ctx.db.tx((tx) => ledger.getAccount(tx, id)),
  balanceHistory: (accountId: string, range?: { from?: string; to?: string }) => ctx.db.tx((tx) => ledger.balanceHistory(tx, accountId, range)),
  listTransactions: (query?: TransactionListQueryT) => ctx.db.tx((tx) => ledger.listTransactions(tx, query)),
  getTransaction: (id: string) => ctx.db.tx((tx) => ledger.getTransaction(tx, id)),
  listCategories: (opts?: { includeHidden?: boolean }) => ctx.db.tx((tx) => ledger.listCategories(tx, opts)),
  netWorth: () => ctx.db.tx((tx) => ledger.netWorth(tx)),
});

/**
 * A plugin feeds the ledger under its own id only (ctx.caller is the calling plugin as the kernel
 * knows it): otherwise a source could rewrite, remove or read the cursor of another's rows (a
 * sandboxed plugin writing as 'import'). Without a caller (the ledger's own code) any source goes.
 */
function own(ctx: PluginContext, source: string): string {
  if (ctx.caller && source !== ctx.caller.id) {
    throw forbidden(`plugin ${ctx.caller.id} feeds the ledger as source '${ctx.caller.id}' only, not '${source}'`);
  }
  return source;
}

export const sourcesService = (ctx: PluginContext) => ({
  /** Returns { [externalId]: ledger account id }. */
  upsertAccounts: async (source: string, accounts: SourceAccountT[]) =>
    Object.fromEntries(await ctx.db.tx((tx) => ledger.upsertAccounts(tx, own(ctx, source), accounts))),
  recordBalances: (records: BalanceRecordT[]) => ctx.db.tx((tx) => ledger.recordBalances(tx, records)),
  getSourceCursor: (source: string, key: string) => ctx.db.tx((tx) => ledger.getSourceCursor(tx, own(ctx, source), key)),
  /**
   * A source's connection is gone (e.g. a bank removed from Plaid): its accounts are closed, their
   * history kept, or deleted with their transactions. Returns how many accounts and transactions.
   */
  removeSourceAccounts: async (source: string, externalIds: string[], opts: { keepHistory: boolean }) => {
    if (source === 'manual') throw new Error('removeSourceAccounts is for sources, not manual accounts');
    own(ctx, source);
    const done = await ctx.db.tx(async (tx) => {
      const rows = await tx<{ id: string }>`select id from ledger.accounts where source = ${source} and external_id = any(${externalIds})`;
      const removed: string[] = [];
      for (const r of rows) {
        if (opts.keepHistory) await ledger.updateAccount(tx, r.id, { closed: true });
        else removed.push(...(await ledger.deleteAccount(tx, r.id)).transactionIds);
      }
      return { accounts: rows.length, removed };
    });
    if (done.removed.length) await emitTransactionsChanged(ctx, source, { inserted: [], updated: [], removed: done.removed });
    return { accounts: done.accounts, transactions: done.removed.length };
  },
  applyTransactionBatch: async (batch: TransactionBatchT) => {
    own(ctx, batch.source);
    const result = await ctx.db.tx(async (tx) => {
      const r = await ledger.applyTransactionBatch(tx, batch);
      // Rules (optional service) enrich new and modified rows in this same transaction: see rules-hook.ts.
      await enrichWithRules(ctx, tx, [...r.inserted, ...r.updated]);
      return r;
    });
    await emitTransactionsChanged(ctx, batch.source, result);
    return result;
  },
});

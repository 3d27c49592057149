// The ledger's services as this plugin calls them (plain data in and out, every method async).
import type { PluginContext } from '../../../plugin-sdk/index.ts';
import type { RemovedKey, SourceAccount, SourceTransaction } from './convert.ts';

export const SOURCE = 'plaid';
export const cursorKey = (itemId: string) => `item:${itemId}`;

export type BatchResult = { inserted: string[]; updated: string[]; removed: string[]; unchanged: number };

export type LedgerSources = {
  upsertAccounts(source: string, accounts: SourceAccount[]): Promise<Record<string, string>>;
  getSourceCursor(source: string, key: string): Promise<string | null>;
  removeSourceAccounts(source: string, externalIds: string[], opts: { keepHistory: boolean }): Promise<{ accounts: number; transactions: number }>;
  applyTransactionBatch(batch: {
    source: string;
    added?: SourceTransaction[];
    modified?: SourceTransaction[];
    removed?: RemovedKey[];
    cursor?: { key: string; value: string };
  }): Promise<BatchResult>;
};

export type LedgerAccount = { id: string; name: string; balance: string; availableBalance: string | null; currency: string; balanceAsOf: string | null; closed: boolean };

export type LedgerRead = {
  listAccounts(opts?: { includeClosed?: boolean }): Promise<LedgerAccount[]>;
};

export const ledgerSources = (ctx: PluginContext) => ctx.services.get<LedgerSources>('ledger.sources');
export const ledgerRead = (ctx: PluginContext) => ctx.services.get<LedgerRead>('ledger');
